using Microsoft.Extensions.Configuration;

using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Stars;

/// <summary>The hosted poller: one active replica per database, found by the advisory lock.</summary>
[Trait("Category", "Integration")]
public sealed class StarPollingServiceTests(TestServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoPollers_OneDatabase_OnlyOneActiveAndTheOtherTakesOver()
    {
        await using var github = await GitHubEmulator.StartAsync(Ct);
        StarredFixture.Star(github, 2);
        var database = await servers.Postgres.CreateDatabaseAsync("stars", Ct);
        var first = await StarPollerHost.StartHostAsync(github, database, Ct);
        await using var second = await StarPollerHost.StartHostAsync(github, database, Ct);
        try
        {
            await Eventually.UntilAsync(() => first.Service.LockAttempts > 0 && second.Service.LockAttempts > 0 && (first.Service.IsActive || second.Service.IsActive),
                TimeSpan.FromSeconds(30), "both replicas asked for the lock and one holds it", Ct);

            Assert.True(first.Service.IsActive ^ second.Service.IsActive);
            var (active, standby) = first.Service.IsActive ? (first, second) : (second, first);
            await Eventually.UntilAsync(() => active.Published<RepositoryStarred>().Count == 2, TimeSpan.FromSeconds(30), "the active replica backfilled", Ct);
            Assert.Empty(standby.Published<RepositoryStarred>());

            if (ReferenceEquals(active, first))
            {
                await first.DisposeAsync();
                await Eventually.UntilAsync(() => second.Service.IsActive, TimeSpan.FromSeconds(30), "the standby took over", Ct);
            }
            else
            {
                Assert.False(first.Service.IsActive);
            }
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Fact]
    public void OffReason_NoGitHubCredentials_PollingOff()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["GitHub:ApiUrl"] = "https://api.github.com/" })
            .Build();

        Assert.NotNull(StarSync.Orchestrator.Stars.StarsHosting.OffReason(configuration));
    }
}
