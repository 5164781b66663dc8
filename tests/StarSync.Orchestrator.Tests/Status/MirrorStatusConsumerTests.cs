using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StarSync.Contracts;
using StarSync.Orchestrator.Data;
using StarSync.Orchestrator.Mirroring;
using StarSync.Orchestrator.Status;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Status;

[Trait("Category", "Integration")]
public sealed class MirrorStatusConsumerTests(TestServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StatusAndList_ReadTheSagaTable()
    {
        await using var provider = await BuildAsync();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        await SeedAsync(provider, ("octo/b", 2, "Completed"), ("octo/a", 1, "Failed"), ("octo/c", 3, "Completed"));

        var status = await harness.GetRequestClient<GetMirrorStatus>()
            .GetResponse<MirrorStatus, MirrorNotFound>(new GetMirrorStatus(1, 10), Ct);
        var missing = await harness.GetRequestClient<GetMirrorStatus>()
            .GetResponse<MirrorStatus, MirrorNotFound>(new GetMirrorStatus(99, 10), Ct);
        var completed = await harness.GetRequestClient<ListMirrors>()
            .GetResponse<MirrorList>(new ListMirrors("Completed", 0, 1), Ct);

        Assert.True(status.Is(out Response<MirrorStatus>? found));
        Assert.Equal(("octo/a", "Failed"), (found!.Message.FullName, found.Message.State));
        Assert.Equal(["star/accepted", "mirror/failed"], found.Message.History.Select(h => $"{h.Event}/{h.Outcome}"));
        Assert.True(missing.Is(out Response<MirrorNotFound>? _));
        Assert.Equal(2, completed.Message.Total);
        Assert.Equal("octo/b", Assert.Single(completed.Message.Mirrors).FullName);
    }

    [Fact]
    public async Task RetryFailed_AsksEveryFailedMirrorToSync()
    {
        await using var provider = await BuildAsync();
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        await SeedAsync(provider, ("octo/x", 11, "Failed"), ("octo/y", 12, "Completed"), ("octo/z", 13, "Failed"));

        await harness.Bus.Publish(new RetryFailedMirrors(DateTimeOffset.UtcNow), Ct);

        await harness.InactivityTask;
        var requests = harness.Published.Select<RepositorySyncRequested>(Ct).Select(m => m.Context.Message).ToList();
        Assert.Equal([11L, 13L], requests.Select(r => r.GitHubId).Order());
        Assert.All(requests, r => Assert.Equal("admin", r.Source));
    }

    private async Task<ServiceProvider> BuildAsync()
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("status", Ct);
        var provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddDbContextFactory<OrchestratorDbContext>(o => o.UseNpgsql(connectionString))
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<MirrorStatusConsumer>();
                x.AddConsumer<RetryFailedMirrorsConsumer>();
            })
            .BuildServiceProvider(true);
        await new DatabaseMigrator(provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>(),
            Options.Create(new OrchestratorOptions()), NullLogger<DatabaseMigrator>.Instance).StartAsync(Ct);
        return provider;
    }

    private static async Task SeedAsync(ServiceProvider provider, params (string FullName, long Id, string State)[] mirrors)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>().CreateDbContextAsync(Ct);
        foreach (var (fullName, id, state) in mirrors)
        {
            var mirror = new MirrorState
            {
                CorrelationId = NewId.NextGuid(),
                CurrentState = state,
                GitHubId = id,
                FullName = fullName,
                Status = state,
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            };
            mirror.Record(DateTimeOffset.UtcNow, "star", "accepted");
            mirror.Record(DateTimeOffset.UtcNow, "mirror", state == "Failed" ? "failed" : "completed");
            db.Mirrors.Add(mirror);
        }
        await db.SaveChangesAsync(Ct);
    }
}
