using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.Orchestrator.Data;
using StarSync.ServiceDefaults;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Mirroring;

/// <summary>
/// Two complete Orchestrators (saga, PostgreSQL repository, OneDev project consumer, sweeper) compete on one
/// RabbitMQ virtual host and one database, against the OneDev emulator.
/// </summary>
[Trait("Category", "Integration")]
public sealed class TwoOrchestratorsTests(TestServers servers)
{
    [Fact]
    public async Task DuplicateFirstEvents_AcrossTwoOrchestrators_GiveOneSagaOneProjectOneMirrorCommandEach()
    {
        var ct = TestContext.Current.CancellationToken;
        const int repositories = 20;
        const int duplicates = 5;
        var postgres = await servers.Postgres.CreateDatabaseAsync("race", ct);
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync("race", ct);
        await using var oneDev = await OneDevEmulator.StartAsync(ct);

        var mirrorCommands = new System.Collections.Concurrent.ConcurrentBag<MirrorRepository>();
        var probe = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            var address = RabbitMqAddress.Parse(rabbit);
            cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
            {
                h.Username(address.Username);
                h.Password(address.Password);
            });
            cfg.ReceiveEndpoint("race-probe", e => e.Handler<MirrorRepository>(context =>
            {
                mirrorCommands.Add(context.Message);
                return Task.CompletedTask;
            }));
        });
        await probe.StartAsync(ct);
        var logs = new CapturedLogs();
        using var first = BuildOrchestrator(postgres, rabbit, oneDev, logs);
        using var second = BuildOrchestrator(postgres, rabbit, oneDev, logs);
        try
        {
            // One after the other: RabbitMQ 3.10 can crash the channel of a consumer whose quorum queue another connection
            // is declaring at that moment (541 INTERNAL_ERROR), and MassTransit then leaves that one endpoint without a
            // consumer. In production the stalled-endpoint watchdog restarts such a process (StalledEndpointWatchdogTests);
            // this test is about the saga race, so it lets the first Orchestrator declare the queues before the second.
            var vhost = RabbitMqAddress.Parse(rabbit).VirtualHost;
            await first.StartAsync(ct);
            await WaitForSagaConsumersAsync(vhost, 1, logs, ct);
            await second.StartAsync(ct);
            await WaitForSagaConsumersAsync(vhost, 2, logs, ct);
            await WidenTheInsertRaceAsync(postgres, ct);
            var stars = Enumerable.Range(1, repositories)
                .SelectMany(n => Enumerable.Range(1, duplicates).Select(d => Star(n, $"delivery-{n}-{d}")))
                .OrderBy(_ => Random.Shared.Next())
                .ToList();

            await Parallel.ForEachAsync(stars, ct, async (star, token) => await probe.Publish(star, token));

            await using var db = await first.Services.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>()
                .CreateDbContextAsync(ct);
            var seen = "";
            try
            {
                await Eventually.UntilAsync(async () =>
                {
                    var rows = await db.Mirrors.AsNoTracking().ToListAsync(ct);
                    seen = string.Join("; ", rows.GroupBy(r => (r.CurrentState, r.RecentDeliveries.Count, r.LastError))
                        .Select(g => $"{g.Count()} x {g.Key}"));
                    return rows.Count == repositories && rows.All(r =>
                        r.CurrentState == "ProjectCreated" && r.RecentDeliveries.Count == duplicates);
                }, TimeSpan.FromSeconds(60), "every saga created its project and consumed all its duplicate stars", ct);
            }
            catch (TimeoutException ex)
            {
                var queues = await servers.RabbitMq.ListQueuesAsync(vhost, CancellationToken.None);
                var errors = queues.Any(q => q.Name == "mirror-state_error")
                    ? await servers.RabbitMq.PeekMessagesAsync(vhost, "mirror-state_error", 1, CancellationToken.None)
                    : [];
                throw new TimeoutException(
                    $"{ex.Message} Sagas: {seen}. Queues: {string.Join(", ", queues.Select(q => $"{q.Name}={q.Messages}/{q.Consumers}"))}. Errors: {string.Join(" | ", errors)}", ex);
            }
            await Eventually.UntilAsync(() => mirrorCommands.Count >= repositories, TimeSpan.FromSeconds(30),
                "a mirror command for every repository", ct);

            Assert.Equal(repositories, await db.Mirrors.CountAsync(ct));
            Assert.Equal(repositories, await db.SyncHistory.CountAsync(h => h.Event == "star" && h.Outcome == "accepted", ct));
            Assert.Equal(repositories, oneDev.Projects.Count);
            Assert.Equal(repositories, oneDev.CreateProjectCalls);
            Assert.Equal(repositories, mirrorCommands.Count);
            Assert.Equal(repositories, mirrorCommands.Select(c => c.MirrorId).Distinct().Count());
            // Every race was settled by the insert itself (every unique key is its arbiter), none by a retry.
            var retries = logs.Entries.Where(e => e.Category == "StarSync.ServiceDefaults.MessageRetry").ToList();
            Assert.True(retries.Count == 0, $"{retries.Count} retries: {string.Join(" | ", retries.Take(3))}");
        }
        finally
        {
            await Task.WhenAll(first.StopAsync(CancellationToken.None), second.StopAsync(CancellationToken.None));
            await probe.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A message published before the saga's queue is bound would be unroutable: waits until <paramref name="consumers"/>
    /// Orchestrators consume from it, and on timeout names every queue and the warnings logged so far.
    /// </summary>
    private async Task WaitForSagaConsumersAsync(string vhost, int consumers, CapturedLogs logs, CancellationToken ct)
    {
        var queuesSeen = "";
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                var queues = await servers.RabbitMq.ListQueuesAsync(vhost, ct);
                queuesSeen = string.Join(", ", queues.Select(q => $"{q.Name}={q.Messages}/{q.Consumers}"));
                return queues.Any(q => q.Name == "mirror-state" && q.Consumers == consumers);
            }, TimeSpan.FromSeconds(60), $"{consumers} Orchestrator(s) consume", ct);
        }
        catch (TimeoutException ex)
        {
            var problems = logs.Entries
                .Where(e => e.Level >= LogLevel.Warning && !e.Category.EndsWith(".JobExecutorCheck", StringComparison.Ordinal))
                .Take(8);
            throw new TimeoutException($"{ex.Message} Queues: {queuesSeen}. Warnings: {string.Join(" | ", problems)}", ex);
        }
    }

    /// <summary>
    /// Two first events of one saga collide only if both inserts pass PostgreSQL's conflict check before either has
    /// written its index entries: microseconds in production. A large compressible column (test databases only),
    /// which PostgreSQL compresses between that check and the index entries, makes the window milliseconds wide, so
    /// that an insert whose arbiter misses a unique index fails (and is retried) in nearly every race.
    /// </summary>
    private static async Task WidenTheInsertRaceAsync(string postgres, CancellationToken ct)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgres);
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(
            "ALTER TABLE mirrors ADD COLUMN test_padding text DEFAULT repeat(md5(random()::text), 100000)", connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static RepositoryStarred Star(int n, string deliveryId)
    {
        var repository = new GitHubRepository(1000 + n, "octo", $"repo-{n}", $"octo/repo-{n}",
            $"https://github.com/octo/repo-{n}.git", $"https://github.com/octo/repo-{n}", "main", false, 10, null);
        return new RepositoryStarred(MirrorIdFor(1000 + n), repository, DateTimeOffset.UtcNow, "webhook", deliveryId);
    }

    private static Guid MirrorIdFor(long githubId) => new(githubId.ToString("D32"));

    private static IHost BuildOrchestrator(string postgres, string rabbit, OneDevEmulator oneDev, CapturedLogs logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = postgres,
            ["ConnectionStrings:rabbitmq"] = rabbit,
            ["OneDev:Url"] = oneDev.BaseUrl.ToString(),
            ["OneDev:Token"] = oneDev.Token,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddServiceDefaults();
        builder.Logging.AddProvider(logs);
        builder.AddOrchestrator();
        return builder.Build();
    }
}
