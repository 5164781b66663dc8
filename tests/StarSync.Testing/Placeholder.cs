namespace StarSync.Testing;
internal static class Placeholder;
