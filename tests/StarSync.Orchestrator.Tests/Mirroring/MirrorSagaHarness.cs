using MassTransit;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using StarSync.Contracts;
using StarSync.Orchestrator.Data;
using StarSync.Orchestrator.Mirroring;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Mirroring;

/// <summary>
/// The mirror state machine on MassTransit's in-memory test harness, with a hand-driven clock. By default the
/// sagas live in the harness's in-memory repository; <see cref="StartOnPostgresAsync"/> puts them in a real
/// PostgreSQL database through StarSync's own saga repository instead (read them back with <see cref="LoadAsync"/>).
/// </summary>
public sealed class MirrorSagaHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private readonly bool _onPostgres;

    private MirrorSagaHarness(ServiceProvider provider, FakeTimeProvider clock, MirroringOptions options, bool onPostgres)
    {
        _provider = provider;
        _onPostgres = onPostgres;
        Clock = clock;
        Options = options;
        Harness = provider.GetRequiredService<ITestHarness>();
        // The saga harness reads the in-memory repository; on PostgreSQL the rows are read with LoadAsync.
        _saga = onPostgres ? null : Harness.GetSagaStateMachineHarness<MirrorStateMachine, MirrorState>();
        Machine = provider.GetRequiredService<MirrorStateMachine>();
    }

    public ITestHarness Harness { get; }
    private readonly ISagaStateMachineTestHarness<MirrorStateMachine, MirrorState>? _saga;

    public ISagaStateMachineTestHarness<MirrorStateMachine, MirrorState> Saga =>
        _saga ?? throw new InvalidOperationException("On PostgreSQL the sagas are read with LoadAsync.");
    public MirrorStateMachine Machine { get; }
    public FakeTimeProvider Clock { get; }
    public MirroringOptions Options { get; }

    public static Task<MirrorSagaHarness> StartAsync(Action<MirroringOptions>? configure = null, CapturedLogs? logs = null) =>
        StartAsync(configure, postgres: null, logs);

    /// <summary>The harness with the sagas in a fresh PostgreSQL database, migrated, through the production repository.</summary>
    public static async Task<MirrorSagaHarness> StartOnPostgresAsync(TestServers servers, Action<MirroringOptions>? configure = null,
        CapturedLogs? logs = null)
    {
        var connectionString = await servers.Postgres.CreateDatabaseAsync("saga", TestContext.Current.CancellationToken);
        return await StartAsync(configure, connectionString, logs);
    }

    private static async Task<MirrorSagaHarness> StartAsync(Action<MirroringOptions>? configure, string? postgres, CapturedLogs? logs)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var options = new MirroringOptions { MaxRetries = 2 };
        configure?.Invoke(options);
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(options))
            .AddLogging(l => { if (logs is not null) l.AddProvider(logs); })
            .AddMetrics()
            .AddSingleton<MirrorSagaMetrics>();
        if (postgres is not null)
        {
            services.AddDbContextFactory<OrchestratorDbContext>(o => o.UseNpgsql(postgres));
        }
        var provider = services
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(2));
                var saga = x.AddSagaStateMachine<MirrorStateMachine, MirrorState>();
                if (postgres is not null)
                {
                    saga.Repository(r => r.AddSingleton<MassTransit.Saga.ISagaRepositoryContextFactory<MirrorState>, MirrorSagaRepositoryContextFactory>());
                }
            })
            .BuildServiceProvider(true);
        if (postgres is not null)
        {
            await new DatabaseMigrator(provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>(),
                    Microsoft.Extensions.Options.Options.Create(new OrchestratorOptions()), NullLogger<DatabaseMigrator>.Instance)
                .StartAsync(TestContext.Current.CancellationToken);
        }
        var harness = new MirrorSagaHarness(provider, clock, options, postgres is not null);
        await harness.Harness.Start();
        return harness;
    }

    public IServiceProvider Services => _provider;

    /// <summary>The saga's row and history as committed in PostgreSQL (only with <see cref="StartOnPostgresAsync"/>).</summary>
    public async Task<MirrorState?> LoadAsync(Guid id)
    {
        await using var db = await _provider.GetRequiredService<IDbContextFactory<OrchestratorDbContext>>()
            .CreateDbContextAsync(TestContext.Current.CancellationToken);
        return await db.Mirrors.AsNoTracking().Include(m => m.History)
            .SingleOrDefaultAsync(m => m.CorrelationId == id, TestContext.Current.CancellationToken);
    }

    public static GitHubRepository Repository(long id = 42) => new(
        id, "octo", "hello", "octo/hello", "https://github.com/octo/hello.git", "https://github.com/octo/hello",
        "main", false, 120, "A test repository");

    public static RepositoryStarred Star(Guid mirrorId, string? deliveryId = null, long githubId = 42) =>
        new(mirrorId, Repository(githubId), DateTimeOffset.UtcNow, "webhook", deliveryId ?? Guid.NewGuid().ToString());

    public MirrorState Instance(Guid id) => Saga.Sagas.Contains(id) ?? throw new InvalidOperationException("no saga " + id);

    public async Task<MirrorState> InStateAsync(Guid id, Func<MirrorStateMachine, State> state)
    {
        if (_onPostgres)
        {
            MirrorState? row = null;
            await Eventually.UntilAsync(async () => (row = await LoadAsync(id))?.CurrentState == state(Machine).Name,
                TimeSpan.FromSeconds(5), $"saga {id} reaches {state(Machine).Name}", TestContext.Current.CancellationToken);
            return row!;
        }
        Assert.True((await Saga.Exists(id, state, TimeSpan.FromSeconds(5))).HasValue,
            $"saga {id} did not reach {state(Machine).Name}; it is {Saga.Sagas.Contains(id)?.CurrentState ?? "missing"}");
        return Instance(id);
    }

    /// <summary>Publishes a message and waits until the saga has consumed that very message (by message id).</summary>
    public async Task PublishAndConsumeAsync<T>(T message) where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, c => c.MessageId = messageId, TestContext.Current.CancellationToken);
        if (!await Harness.Consumed.Any<T>(m => m.Context.MessageId == messageId, TestContext.Current.CancellationToken))
        {
            // Only on failure: reading the published list waits for the harness to go idle.
            var faults = Harness.Published.Select<Fault<T>>(TestContext.Current.CancellationToken)
                .SelectMany(f => f.Context.Message.Exceptions).Select(e => $"{e.ExceptionType}: {e.Message}");
            Assert.Fail($"the saga did not consume {typeof(T).Name}; faults: {string.Join(" | ", faults)}");
        }
    }

    /// <summary>Waits (up to the harness's inactivity timeout) for a published message matching the filter.</summary>
    public Task<bool> WasPublishedAsync<T>(Func<T, bool> filter) where T : class =>
        Harness.Published.Any<T>(m => filter(m.Context.Message), TestContext.Current.CancellationToken);

    /// <summary>
    /// Counts published messages once the bus is idle. Reading the list waits for the harness's inactivity
    /// timeout and ends its waiting for good, so call it only at the end of a test.
    /// </summary>
    public int PublishedCount<T>(Func<T, bool> filter) where T : class =>
        Harness.Published.Select<T>().Count(m => filter(m.Context.Message));

    /// <summary>Brings a new saga to ProjectCreated (mirror command sent for attempt 1).</summary>
    public async Task<Guid> StartMirrorAsync()
    {
        var id = NewId.NextGuid();
        await PublishAndConsumeAsync(Star(id));
        await InStateAsync(id, m => m.Pending);
        await PublishAndConsumeAsync(new OneDevProjectCreated(id, 1, 7, "octo-hello", "http://onedev/octo-hello.git", false));
        await InStateAsync(id, m => m.ProjectCreated);
        return id;
    }

    /// <summary>Brings a new saga to Completed (first sync done, attempt 1).</summary>
    public async Task<Guid> CompleteMirrorAsync()
    {
        var id = await StartMirrorAsync();
        await PublishAndConsumeAsync(new RepositoryMirrored(id, 1, Clock.GetUtcNow(), 2, 1, true, 100));
        await InStateAsync(id, m => m.Completed);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}
