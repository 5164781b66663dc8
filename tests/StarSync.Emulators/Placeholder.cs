namespace StarSync.Emulators;
internal static class Placeholder;
