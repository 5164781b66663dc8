using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StarSync.Contracts;
using StarSync.Orchestrator.Data;
using StarSync.Orchestrator.Mirroring;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Mirroring;

[Trait("Category", "Integration")]
public sealed class MirrorSweeperTests(TestServers servers)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sweep_PublishesWhatEachDueRowIsDueFor_AndLeasesIt()
    {
        var clock = new FakeTimeProvider(Start);
        await using var provider = await BuildAsync(clock);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var retry = await SeedAsync(provider, "ProjectCreated", s => { s.NextRetryAt = Start.AddSeconds(-1); s.Attempt = 3; });
        var deadline = await SeedAsync(provider, "Mirroring", s => { s.DeadlineAt = Start.AddSeconds(-1); s.Version = 7; });
        var refresh = await SeedAsync(provider, "Completed", s => { s.NextSyncAt = Start.AddSeconds(-1); s.Version = 4; });
        await SeedAsync(provider, "Completed", s => s.NextSyncAt = Start.AddMinutes(5));
        var sweeper = Sweeper(provider, clock);

        var claimed = await sweeper.SweepOnceAsync(Ct);
        var again = await sweeper.SweepOnceAsync(Ct);

        Assert.Equal(3, claimed);
        Assert.Equal(0, again);
        Assert.True(await harness.Published.Any<MirrorRetryDue>(m => m.Context.Message == new MirrorRetryDue(retry, 3), Ct));
        Assert.True(await harness.Published.Any<MirrorDeadlinePassed>(m => m.Context.Message == new MirrorDeadlinePassed(deadline, 7), Ct));
        Assert.True(await harness.Published.Any<MirrorRefreshDue>(m => m.Context.Message == new MirrorRefreshDue(refresh, 4), Ct));

        // A lost message is re-sent once the lease has run out.
        clock.Advance(new SweeperOptions().Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(3, await sweeper.SweepOnceAsync(Ct));
    }

    [Fact]
    public async Task ConcurrentSweepers_ClaimEachDueRowOnce()
    {
        var clock = new FakeTimeProvider(Start);
        await using var provider = await BuildAsync(clock);
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        for (var i = 0; i < 300; i++)
        {
            await SeedAsync(provider, "Mirroring", s => s.DeadlineAt = Start.AddSeconds(-1));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Sweeper(provider, clock).SweepOnceAsync(Ct)));

        Assert.Equal(300, claims.Sum());
        await harness.InactivityTask;
        var published = harness.Published.Select<MirrorDeadlinePassed>(Ct).Select(m => m.Context.Message.MirrorId).ToList();
        Assert.Equal(300, published.Count);
        Assert.Equal(300, published.Distinct().Count());
    }

    [Fact]
    public async Task PruneHistory_DeletesExpiredRows_ButKeepsEachMirrorsNewest()
    {
        var clock = new FakeTimeProvider(Start);
        await using var provider = await BuildAsync(clock);
        var busy = await SeedAsync(provider, "Completed", _ => { });
        var quiet = await SeedAsync(provider, "Completed", _ => { });
        var options = new SweeperOptions { HistoryRetention = TimeSpan.FromDays(30), HistoryKeepPerMirror = 30 };
        // busy: 80 rows from two months ago, then 20 from today; quiet: 10 rows, all two months old.
        await AddHistoryAsync(provider, busy, Enumerable.Range(0, 80).Select(i => Start.AddDays(-60).AddMinutes(i))
            .Concat(Enumerable.Range(0, 20).Select(i => Start.AddHours(-1).AddMinutes(i))));
        await AddHistoryAsync(provider, quiet, Enumerable.Range(0, 10).Select(i => Start.AddDays(-60).AddMinutes(i)));
        var sweeper = Sweeper(provider, clock, options);

        var deleted = await sweeper.PruneHistoryAsync(Ct);
        var again = await sweeper.PruneHistoryAsync(Ct);

        Assert.Equal(70, deleted);
        Assert.Equal(0, again);
        await using var db = await provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>().CreateDbContextAsync(Ct);
        var kept = await db.SyncHistory.Where(h => h.MirrorId == busy).OrderBy(h => h.Id).Select(h => h.RecordedAt).ToListAsync(Ct);
        Assert.Equal(30, kept.Count);
        // The newest 30: the ten latest of the old rows and all of today's.
        Assert.Equal(Start.AddDays(-60).AddMinutes(70), kept[0]);
        Assert.Equal(20, kept.Count(t => t > Start.AddDays(-1)));
        Assert.Equal(10, await db.SyncHistory.CountAsync(h => h.MirrorId == quiet, Ct));
    }

    private static async Task AddHistoryAsync(ServiceProvider provider, Guid mirror, IEnumerable<DateTimeOffset> times)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>().CreateDbContextAsync(Ct);
        db.SyncHistory.AddRange(times.Select(t => new SyncHistoryEntry
        {
            MirrorId = mirror, Attempt = 1, Event = "refresh", Outcome = "sent", RecordedAt = t,
        }));
        await db.SaveChangesAsync(Ct);
    }

    private static MirrorSweeper Sweeper(ServiceProvider provider, TimeProvider clock, SweeperOptions? options = null) => new(
        provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>(), provider.GetRequiredService<IBus>(),
        Options.Create(options ?? new SweeperOptions()), clock, NullLogger<MirrorSweeper>.Instance);

    private async Task<ServiceProvider> BuildAsync(TimeProvider clock)
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("sweeper", Ct);
        var provider = new ServiceCollection()
            .AddSingleton(clock)
            .AddDbContextFactory<OrchestratorDbContext>(o => o.UseNpgsql(connectionString))
            .AddMassTransitTestHarness(x => x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(2)))
            .BuildServiceProvider(true);
        await new DatabaseMigrator(provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>(),
            Options.Create(new OrchestratorOptions()), NullLogger<DatabaseMigrator>.Instance).StartAsync(Ct);
        return provider;
    }

    private static async Task<Guid> SeedAsync(ServiceProvider provider, string state, Action<MirrorState> configure)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>().CreateDbContextAsync(Ct);
        var mirror = new MirrorState
        {
            CorrelationId = NewId.NextGuid(),
            CurrentState = state,
            GitHubId = Random.Shared.NextInt64(1, long.MaxValue),
            FullName = "octo/x",
            CreatedAt = Start,
            UpdatedAt = Start,
        };
        configure(mirror);
        mirror.DueAt = new[] { mirror.NextRetryAt, mirror.DeadlineAt, mirror.NextSyncAt }.Where(d => d is not null).Min();
        db.Mirrors.Add(mirror);
        await db.SaveChangesAsync(Ct);
        return mirror.CorrelationId;
    }
}
