using System.Diagnostics;
using System.Runtime.CompilerServices;

using MassTransit;

using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// One span per event the mirror saga handles (<c>mirror saga {event}</c>), beside MassTransit's consume span: the
/// state before (<c>starsync.saga.from</c>) and after (<c>starsync.saga.to</c>), so that a trace shows each step of a
/// sync as a transition. A faulted event ends its span with the error.
/// </summary>
internal sealed class MirrorSagaTracing : IEventObserver<MirrorState>
{
    // The same context object reaches PreExecute and PostExecute; keyed by it, concurrent sagas never mix.
    private readonly ConditionalWeakTable<object, Activity> _running = new();

    public Task PreExecute(BehaviorContext<MirrorState> context) => Start(context, context.Event.Name);

    public Task PreExecute<T>(BehaviorContext<MirrorState, T> context) where T : class => Start(context, context.Event.Name);

    public Task PostExecute(BehaviorContext<MirrorState> context) => Stop(context, null);

    public Task PostExecute<T>(BehaviorContext<MirrorState, T> context) where T : class => Stop(context, null);

    public Task ExecuteFault(BehaviorContext<MirrorState> context, Exception exception) => Stop(context, exception);

    public Task ExecuteFault<T>(BehaviorContext<MirrorState, T> context, Exception exception) where T : class =>
        Stop(context, exception);

    private Task Start(BehaviorContext<MirrorState> context, string eventName)
    {
        // A sibling of what the event's activities send, not their parent: Current stays the consume span.
        var consume = Activity.Current;
        var activity = StarSyncTelemetry.Source.StartActivity($"mirror saga {eventName}");
        Activity.Current = consume;
        if (activity is not null)
        {
            activity.SetTag("starsync.saga.event", eventName);
            activity.SetTag("starsync.saga.from", context.Saga.CurrentState ?? "Initial");
            activity.SetTag("starsync.mirror.id", context.Saga.CorrelationId);
            if (context.Saga.GitHubId != 0)
            {
                activity.SetTag("github.repository.id", context.Saga.GitHubId);
            }
            _running.AddOrUpdate(context, activity);
        }
        return Task.CompletedTask;
    }

    private Task Stop(BehaviorContext<MirrorState> context, Exception? exception)
    {
        if (_running.TryGetValue(context, out var activity))
        {
            _running.Remove(context);
            activity.SetTag("starsync.saga.to", context.Saga.CurrentState);
            if (exception is not null)
            {
                activity.AddException(exception);
                activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            }
            activity.Stop();
        }
        return Task.CompletedTask;
    }
}
