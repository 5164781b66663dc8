using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using StarSync.Contracts;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Tests.Mirroring;

/// <summary>The mirror state machine on MassTransit's in-memory test harness, with a hand-driven clock.</summary>
public sealed class MirrorSagaHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private MirrorSagaHarness(ServiceProvider provider, ManualTimeProvider clock, MirroringOptions options)
    {
        _provider = provider;
        Clock = clock;
        Options = options;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<MirrorStateMachine, MirrorState>();
        Machine = provider.GetRequiredService<MirrorStateMachine>();
    }

    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<MirrorStateMachine, MirrorState> Saga { get; }
    public MirrorStateMachine Machine { get; }
    public ManualTimeProvider Clock { get; }
    public MirroringOptions Options { get; }

    public static async Task<MirrorSagaHarness> StartAsync(Action<MirroringOptions>? configure = null)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));
        var options = new MirroringOptions { MaxRetries = 2 };
        configure?.Invoke(options);
        var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(options))
            .AddMassTransitTestHarness(x =>
            {
                x.SetTestTimeouts(testInactivityTimeout: TimeSpan.FromSeconds(2));
                x.AddSagaStateMachine<MirrorStateMachine, MirrorState>();
            })
            .BuildServiceProvider(true);
        var harness = new MirrorSagaHarness(provider, clock, options);
        await harness.Harness.Start();
        return harness;
    }

    public static GitHubRepository Repository(long id = 42) => new(
        id, "octo", "hello", "octo/hello", "https://github.com/octo/hello.git", "https://github.com/octo/hello",
        "main", false, 120, "A test repository");

    public static RepositoryStarred Star(Guid mirrorId, string? deliveryId = null, long githubId = 42) =>
        new(mirrorId, Repository(githubId), DateTimeOffset.UtcNow, "webhook", deliveryId ?? Guid.NewGuid().ToString());

    public MirrorState Instance(Guid id) => Saga.Sagas.Contains(id) ?? throw new InvalidOperationException("no saga " + id);

    public async Task<MirrorState> InStateAsync(Guid id, Func<MirrorStateMachine, State> state)
    {
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
