namespace StarSync.Deploy.Tests;

/// <summary>The parts of one compose service the tests look at, as written (before interpolation).</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    string? BuildContext,
    string? Dockerfile,
    IReadOnlyDictionary<string, string> BuildArgs,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> DependsOn,
    IReadOnlyList<string> Volumes,
    IReadOnlyList<string> HealthcheckTest,
    string? Restart,
    int? Replicas);
