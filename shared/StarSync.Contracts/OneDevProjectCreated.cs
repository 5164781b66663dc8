namespace StarSync.Contracts;

/// <summary>The OneDev project exists (created now, or found from an earlier attempt).</summary>
public sealed record OneDevProjectCreated(
    Guid MirrorId,
    int Attempt,
    long ProjectId,
    string ProjectPath,
    string GitUrl,
    bool Existed);
