namespace StarSync.GitWorker.Cache;

/// <summary>git reported a damaged cache repository; the mirror deletes it and starts again from a cold cache.</summary>
internal sealed class CacheCorruptException(string message) : Exception(message);
