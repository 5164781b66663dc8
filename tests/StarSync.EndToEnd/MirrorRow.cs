namespace StarSync.EndToEnd;

/// <summary>The columns of a saga row that end-to-end tests look at.</summary>
public sealed record MirrorRow(string State, string Status, string? LastError, long? ProjectId, string? ProjectPath,
    int Attempt, int RetryCount, string[] RecentDeliveries, long TotalMirrors);
