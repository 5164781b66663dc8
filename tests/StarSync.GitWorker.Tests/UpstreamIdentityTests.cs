using Microsoft.Extensions.DependencyInjection;

using StarSync.GitWorker.Git;
using StarSync.GitWorker.Tests.Support;
using StarSync.Testing;

namespace StarSync.GitWorker.Tests;

/// <summary>
/// A mirror fetches the repository GitHub's API names for its id, never whatever now answers at a recorded name:
/// after a rename or a transfer GitHub lets anyone take the old name, and the old clone URL then serves the newcomer.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UpstreamIdentityTests : IAsyncLifetime
{
    private MirrorEnvironment _env = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _env = await MirrorEnvironment.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Theory]
    [InlineData("octo", "b")]          // renamed
    [InlineData("new-owner", "a")]     // transferred
    public async Task OldNameTakenByAnotherRepository_FetchesTheOriginalById(string newOwner, string newName)
    {
        var (original, source) = await _env.CreateSourceAsync("octo", "a", Ct);
        await source.CommitAsync("feature", "f.txt", "f", "feature work");
        var command = await _env.CreateTargetAsync(original, Ct);
        await Mirror().RunAsync(command, Ct);
        _env.GitHub.RenameRepository(original.Id, newOwner, newName);
        var (newcomer, impostor) = await _env.CreateSourceAsync("octo", "a", Ct);
        await impostor.CommitAsync("main", "other.txt", "other", "someone else's history");
        await source.CommitAsync("main", "b.txt", "b", "after the move");

        // The command still carries the recorded name and clone URL of octo/a.
        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.NotEqual(original.Id, newcomer.Id);
        Assert.True(outcome.Pushed);
        Assert.Equal(original.Id, outcome.Repository!.Id);
        Assert.Equal($"{newOwner}/{newName}", outcome.Repository.FullName);
        Assert.Null(outcome.ArchivedRefs);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key), (await _env.MirrorRefsAsync(command, Ct)).OrderBy(r => r.Key));
        Assert.Equal(0, _env.GitHub.UploadPackCount("octo/a"));
    }

    [Fact]
    public async Task DeletedUpstream_ReportsItGoneAndLeavesTheMirrorAsItWas()
    {
        var (original, source) = await _env.CreateSourceAsync("octo", "doomed", Ct);
        var command = await _env.CreateTargetAsync(original, Ct);
        await Mirror().RunAsync(command, Ct);
        var before = await _env.MirrorRefsAsync(command, Ct);
        _env.GitHub.DeleteRepository(original.Id);
        var (_, recreated) = await _env.CreateSourceAsync("octo", "doomed", Ct);
        await recreated.CommitAsync("main", "new.txt", "new", "a new repository under the old name");

        var failure = (await Assert.ThrowsAsync<GitException>(() => Mirror().RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.Equal("deleted", failure.UpstreamGone);
        Assert.False(failure.Transient);
        Assert.Contains($"GitHub repository #{original.Id} (last known as octo/doomed) no longer exists", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(before.OrderBy(r => r.Key), (await _env.MirrorRefsAsync(command, Ct)).OrderBy(r => r.Key));
        Assert.Equal(0, _env.GitHub.UploadPackCount("octo/doomed"));
    }

    [Fact]
    public async Task RateLimitedApi_WaitsUntilTheResetInsteadOfFetchingByName()
    {
        var (original, _) = await _env.CreateSourceAsync("octo", "limited", Ct);
        var command = await _env.CreateTargetAsync(original, Ct);
        _env.GitHub.ExhaustRateLimit(TimeSpan.FromMinutes(20));

        var failure = (await Assert.ThrowsAsync<GitException>(() => Mirror().RunAsync(command, Ct))).Failure;
        TestContext.Current.TestOutputHelper?.WriteLine(failure.Reason);

        Assert.True(failure.Transient);
        Assert.NotNull(failure.RetryAt);
        Assert.InRange(failure.RetryAt.Value, DateTimeOffset.UtcNow.AddMinutes(19), DateTimeOffset.UtcNow.AddMinutes(21));
        Assert.Equal(0, _env.GitHub.UploadPackCount("octo/limited"));
        Assert.Equal(0, _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(original)));
    }

    [Fact]
    public async Task PublicRepositoryWithoutCredentials_IsResolvedAnonymously()
    {
        var (original, source) = await _env.CreateSourceAsync("octo", "open", Ct, isPrivate: false);
        var command = await _env.CreateTargetAsync(original, Ct);
        _env.GitHub.RenameRepository(original.Id, "octo", "opened");

        var outcome = await Mirror(new Dictionary<string, string?> { ["GitHub:Token"] = null }).RunAsync(command, Ct);

        Assert.Equal("octo/opened", outcome.Repository!.FullName);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key), (await _env.MirrorRefsAsync(command, Ct)).OrderBy(r => r.Key));
    }

    private RepositoryMirror Mirror(IDictionary<string, string?>? settings = null) =>
        _env.BuildServices(settings).GetRequiredService<RepositoryMirror>();
}
