namespace StarSync.OneDev;
internal static class Placeholder;
