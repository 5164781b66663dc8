namespace StarSync.GitWorker;

/// <summary>A mirror that now equals its source: how many branches and tags it has, and whether anything was pushed.</summary>
internal sealed record MirrorOutcome(int Branches, int Tags, bool Pushed);
