namespace StarSync.Contracts;

/// <summary>
/// The mirror now holds exactly the source's branches and tags. <paramref name="Pushed"/> is false when the
/// mirror was already current and nothing was sent. <paramref name="ArchivedRefs"/> lists branches whose old tip
/// was kept under <c>refs/starsync/archive/</c> because upstream rewrote them (force-push) or deleted them;
/// <paramref name="LfsObjects"/> counts Git LFS objects copied. <paramref name="Repository"/> is the repository as
/// GitHub's API described it by id just before the fetch (its current names and clone URL). <paramref name="BuildSpecRefs"/>
/// names the pushed refs whose tip carries a OneDev build spec (pushed because the policy let it).
/// </summary>
public sealed record RepositoryMirrored(
    Guid MirrorId,
    int Attempt,
    DateTimeOffset CompletedAt,
    int Branches,
    int Tags,
    bool Pushed,
    long DurationMs,
    IReadOnlyList<string>? ArchivedRefs = null,
    int? LfsObjects = null,
    GitHubRepository? Repository = null,
    IReadOnlyList<string>? BuildSpecRefs = null);
