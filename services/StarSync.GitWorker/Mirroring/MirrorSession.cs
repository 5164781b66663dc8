namespace StarSync.GitWorker.Mirroring;

/// <summary>One sync's cache repository (<paramref name="Directory"/>), GitHub (<paramref name="Source"/>) and OneDev (<paramref name="Target"/>).</summary>
internal sealed record MirrorSession(string Directory, GitRemote Source, GitRemote Target);
