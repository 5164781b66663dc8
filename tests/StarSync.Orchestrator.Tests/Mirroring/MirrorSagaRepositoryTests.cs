using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StarSync.Contracts;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Mirroring;

/// <summary>The state machine on StarSync's own saga repository and a real PostgreSQL database.</summary>
[Trait("Category", "Integration")]
public sealed class MirrorSagaRepositoryTests(TestServers servers)
{
    [Fact]
    public async Task IgnoredEvents_WriteNothing_SoTheSweepersRefreshStaysValid()
    {
        await using var h = await MirrorSagaHarness.StartOnPostgresAsync(servers);
        var id = NewId.NextGuid();
        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "delivery-1"));
        await h.PublishAndConsumeAsync(new OneDevProjectCreated(id, 1, 7, "octo-hello", "http://onedev/octo-hello.git", false));
        await h.PublishAndConsumeAsync(new RepositoryMirrored(id, 1, h.Clock.GetUtcNow(), 2, 1, true, 100));
        var completed = await h.InStateAsync(id, m => m.Completed);
        h.Clock.Advance(completed.NextSyncAt!.Value - h.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));

        // The sweeper has claimed the row and its refresh (at this version) is on its way, when three events arrive
        // that the machine ignores: a redelivered star, a late answer of the finished attempt, a stale refresh.
        await h.PublishAndConsumeAsync(MirrorSagaHarness.Star(id, "delivery-1"));
        await h.PublishAndConsumeAsync(new RepositoryMirrorStarted(id, 1, "worker-a", h.Clock.GetUtcNow()));
        await h.PublishAndConsumeAsync(new MirrorRefreshDue(id, completed.Version - 1));
        var after = await h.LoadAsync(id);

        Assert.Equal(completed.Version, after!.Version);
        Assert.Equal(completed.UpdatedAt, after.UpdatedAt);
        Assert.Equal(completed.History.Count, after.History.Count);

        await h.PublishAndConsumeAsync(new MirrorRefreshDue(id, completed.Version));
        var refreshed = await h.InStateAsync(id, m => m.ProjectCreated);
        Assert.Contains(refreshed.History, e => e is { Event: "refresh", Outcome: "sent" });
        Assert.Equal(completed.Version + 1, refreshed.Version);
    }

    [Fact]
    public async Task DeliveryBookkeepingAlone_DoesNotInvalidateTheRefresh()
    {
        await using var h = await MirrorSagaHarness.StartOnPostgresAsync(servers);
        var id = NewId.NextGuid();
        // Whole seconds: PostgreSQL keeps microseconds, so a finer time would read back as a different one.
        var star = MirrorSagaHarness.Star(id, "delivery-1") with { StarredAt = new DateTimeOffset(2026, 11, 21, 11, 0, 0, TimeSpan.Zero) };
        await h.PublishAndConsumeAsync(star);
        await h.PublishAndConsumeAsync(new OneDevProjectCreated(id, 1, 7, "octo-hello", "http://onedev/octo-hello.git", false));
        await h.PublishAndConsumeAsync(new RepositoryMirrorStarted(id, 1, "worker-a", h.Clock.GetUtcNow()));
        var mirroring = await h.InStateAsync(id, m => m.Mirroring);

        // A second delivery of the same star during the sync changes nothing but the remembered deliveries.
        await h.PublishAndConsumeAsync(star with { DeliveryId = "delivery-2" });
        var after = await h.LoadAsync(id);

        Assert.Contains("delivery-2", after!.RecentDeliveries);
        Assert.Equal(mirroring.Version, after.Version);
        Assert.Equal(mirroring.UpdatedAt, after.UpdatedAt);
    }
}
