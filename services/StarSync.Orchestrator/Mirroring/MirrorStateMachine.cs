using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using StarSync.Contracts;
using StarSync.Orchestrator.Projects;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// One saga per GitHub repository: Pending (OneDev project being made) → ProjectCreated (mirror command queued
/// for a GitWorker) → Mirroring (a worker is on it) → Completed, or Failed. A Completed mirror is refreshed on its
/// interval, on a push webhook and on request. Retries, deadlines and refreshes are saga columns driven by the
/// sweeper (<see cref="MirrorRetryDue"/>, <see cref="MirrorDeadlinePassed"/>, <see cref="MirrorRefreshDue"/>),
/// because RabbitMQ here has no delayed-message support. Every answer carries the attempt it belongs to; answers
/// for another attempt are stale and change nothing. The machine does no I/O: it publishes commands and records
/// history rows that the repository writes in the same transaction as the state.
/// </summary>
public sealed class MirrorStateMachine : MassTransitStateMachine<MirrorState>
{
    private readonly MirroringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MirrorStateMachine> _logger;
    private readonly MirrorSagaMetrics _metrics;

    public MirrorStateMachine(IOptions<MirroringOptions> options, TimeProvider time, ILogger<MirrorStateMachine> logger,
        MirrorSagaMetrics metrics)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _metrics = metrics;

        InstanceState(x => x.CurrentState);
        ConnectEventObserver(new MirrorSagaTracing());

        Event(() => Starred, e =>
        {
            e.CorrelateById(m => m.Message.MirrorId);
            // Two identical first events race on INSERT … ON CONFLICT DO NOTHING; the loser loads the winner's row.
            e.InsertOnInitial = true;
            e.SetSagaFactory(m => MirrorState.Create(m.Message));
        });
        // Every other event is about a saga that exists. One that does not (a push or an unstar of a repository that
        // was never mirrored, an answer for a saga an operator removed) is dropped, logged and counted; answers from
        // StarSync's own services are logged as warnings, because they point at something lost.
        Event(() => Unstarred, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Information));
        Event(() => SyncRequested, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Information));
        Event(() => IntervalSet, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Information));
        Event(() => BuildSpecPolicySet, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Information));
        Event(() => UpstreamGone, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Information));
        Event(() => ProjectReady, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => ProjectFailed, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => ProjectFaulted, e => CorrelateExisting(e, m => m.Message.Message.MirrorId, LogLevel.Warning));
        Event(() => ProjectRetired, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => MirrorStarted, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => Mirrored, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => MirrorFailed, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => MirrorFaulted, e => CorrelateExisting(e, m => m.Message.Message.MirrorId, LogLevel.Warning));
        Event(() => RetryDue, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => DeadlinePassed, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));
        Event(() => RefreshDue, e => CorrelateExisting(e, m => m.Message.MirrorId, LogLevel.Warning));

        Initially(
            SendProjectStep(When(Starred)
                .Then(ctx =>
                {
                    ctx.Saga.CreatedAt = Now;
                    ctx.Saga.TraceParent = Activity.Current?.Id;
                    AcceptStar(ctx.Saga, ctx.Message);
                    ctx.Saga.Attempt = 1;
                    BeginSync(ctx.Saga, SyncTriggers.OfStar(ctx.Message.Source));
                    ctx.Saga.Record(Now, "star", "accepted", ctx.Message.Source, ctx.Message.DeliveryId);
                })));

        During(Pending,
            SendMirrorStep(When(ProjectReady, ctx => ctx.Message.Attempt == ctx.Saga.Attempt)
                .Then(ctx =>
                {
                    var m = ctx.Message;
                    ctx.Saga.OneDevProjectId = m.ProjectId;
                    ctx.Saga.OneDevProjectPath = m.ProjectPath;
                    ctx.Saga.OneDevGitUrl = m.GitUrl;
                    ctx.Saga.RedriveCount = 0;
                    ctx.Saga.Record(Now, "project", m.Existed ? "found" : "created", m.ProjectPath,
                        durationMs: ctx.Saga.StepDurationMs(Now));
                })),
            OnFailure(When(ProjectFailed, ctx => ctx.Message.Attempt == ctx.Saga.Attempt),
                "project", m => m.Reason, m => m.Transient),
            OnFailure(When(ProjectFaulted, ctx => ctx.Message.Message.Attempt == ctx.Saga.Attempt),
                "project", m => m.Describe(), _ => true));

        During(ProjectCreated, Mirroring,
            When(MirrorStarted, ctx => ctx.Message.Attempt == ctx.Saga.Attempt && ctx.Saga.NextRetryAt == null)
                .Then(ctx =>
                {
                    ctx.Saga.LastWorker = ctx.Message.Worker;
                    ctx.Saga.BeginStep(Now, _options.MirrorDeadline, $"Mirroring on {ctx.Message.Worker}");
                })
                .TransitionTo(Mirroring),
            When(Mirrored, ctx => ctx.Message.Attempt == ctx.Saga.Attempt)
                .Then(ctx => RecordMirrored(ctx.Saga, ctx.Message))
                .IfElse(ctx => ctx.Saga.ResyncRequested,
                    // A push (or an operator) asked for a sync while this one ran: it may not have seen that change.
                    again => SendMirrorStep(again.Then(ctx =>
                    {
                        BeginSync(ctx.Saga, ctx.Saga.ResyncTrigger ?? SyncTriggers.Push);
                        ctx.Saga.ResyncTrigger = null;
                        ctx.Saga.ResyncRequested = false;
                        ctx.Saga.Attempt++;
                        ctx.Saga.Record(Now, "sync", "sent", "requested while the previous sync ran");
                    })),
                    done => RetireIfUnstarred(done.Then(ctx => ctx.Saga.ScheduleRefresh(Now, _options)))
                        .TransitionTo(Completed)),
            // GitHub no longer serves the repository under its id: keep the mirror as it is, stop refreshing it.
            When(MirrorFailed, ctx => ctx.Message.Attempt == ctx.Saga.Attempt && ctx.Message.UpstreamGone is not null)
                .Then(ctx =>
                {
                    ctx.Saga.RetryCount = 0;
                    ctx.Saga.RedriveCount = 0;
                    ctx.Saga.ResyncRequested = false;
                    ctx.Saga.ResyncTrigger = null;
                    ctx.Saga.LastError = ctx.Message.Reason;
                    _metrics.SyncFailed(ctx.Saga.SyncTrigger, "mirror", "upstream_gone", SyncDuration(ctx.Saga));
                    MarkUpstreamGone(ctx.Saga, ctx.Message.UpstreamGone!, ctx.Message.Reason, endsSync: true);
                })
                .TransitionTo(Completed),
            OnFailure(When(MirrorFailed, ctx => ctx.Message.Attempt == ctx.Saga.Attempt && ctx.Message.UpstreamGone is null)
                    .Then(ctx =>
                    {
                        if (ctx.Message.BuildSpecRefs is { Count: > 0 } refs)
                        {
                            ctx.Saga.Record(Now, "buildspec", "refused",
                                $"{string.Join(", ", refs)} (policy {ctx.Saga.BuildSpecs(_options)})");
                        }
                    }),
                "mirror", m => m.Reason, m => m.Transient, m => m.RetryAt),
            OnFailure(When(MirrorFaulted, ctx => ctx.Message.Message.Attempt == ctx.Saga.Attempt),
                "mirror", m => m.Describe(), _ => true));

        During(Pending, ProjectCreated, Mirroring,
            // A star while a sync is in progress starts nothing, but it undoes an unstar recorded during that sync: the
            // unstar policy is applied when the sync ends only if the repository is still unstarred then.
            When(Starred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId))
                .Then(ctx =>
                {
                    var wasUnstarred = !ctx.Saga.Starred;
                    AcceptStar(ctx.Saga, ctx.Message);
                    if (wasUnstarred)
                    {
                        ctx.Saga.Record(Now, "star", "accepted", "starred again during the running sync", ctx.Message.DeliveryId);
                    }
                }),
            When(SyncRequested)
                .Then(ctx =>
                {
                    ApplyReported(ctx.Saga, ctx.Message.Repository);
                    ctx.Saga.ResyncRequested = true;
                    ctx.Saga.ResyncTrigger = SyncTriggers.OfSyncRequest(ctx.Message.Source);
                    ctx.Saga.RememberDelivery(ctx.Message.DeliveryId);
                    ctx.Saga.Record(Now, "sync", "queued", $"{ctx.Message.Source}: after the running sync", ctx.Message.DeliveryId);
                }),
            SendCurrentStep(When(RetryDue, ctx => ctx.Message.Attempt == ctx.Saga.Attempt && ctx.Saga.NextRetryAt != null)
                .Then(ctx =>
                {
                    ctx.Saga.Attempt++;
                    ctx.Saga.RedriveCount = 0;
                    ctx.Saga.Record(Now, "retry", "sent", $"retry {ctx.Saga.RetryCount} of {_options.MaxRetries}");
                })),
            When(DeadlinePassed, ctx => ctx.Message.Version == ctx.Saga.Version && ctx.Saga.DeadlineAt <= Now)
                .Then(ctx => ctx.Saga.RedriveCount++)
                .IfElse(ctx => ctx.Saga.RedriveCount > _options.MaxRedrives,
                    fail => fail
                        .Then(ctx => FailSaga(ctx.Saga, "redrive", "redrives_exhausted",
                            $"no answer for the {StepName(ctx.Saga)} step after {_options.MaxRedrives} re-sends"))
                        .TransitionTo(Failed),
                    redrive => SendCurrentStep(redrive
                        .Then(ctx => _metrics.Redrive(StepName(ctx.Saga)))
                        .Then(ctx => ctx.Saga.Record(Now, "redrive", "sent",
                            $"{StepName(ctx.Saga)} step re-sent ({ctx.Saga.RedriveCount} of {_options.MaxRedrives}) after its deadline passed")))));

        During(Completed,
            // The unstar policy deleted the project: a new star mirrors the repository again.
            SendCurrentStep(When(Starred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId) && ctx.Saga.OneDevProjectId is null)
                .Then(ctx =>
                {
                    AcceptStar(ctx.Saga, ctx.Message);
                    ctx.Saga.RetiredAction = null;
                    StartSync(ctx.Saga, SyncTriggers.OfStar(ctx.Message.Source), "star", "restarted", ctx.Message.Source, ctx.Message.DeliveryId);
                })),
            // Archived after an unstar and starred again: take the note off and bring the mirror up to date, after
            // which it is refreshed like any other (and a later unstar retires it again).
            SendMirrorStep(When(Starred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId) && ctx.Saga.OneDevProjectId is not null
                                                && ctx.Saga.RetiredAction == RetiredArchived)
                .Publish(ctx => new RestoreOneDevProject(ctx.Saga.CorrelationId, ctx.Saga.OneDevProjectId!.Value, ctx.Message.Repository.FullName))
                .Then(ctx =>
                {
                    AcceptStar(ctx.Saga, ctx.Message);
                    ctx.Saga.RetiredAction = null;
                    StartSync(ctx.Saga, SyncTriggers.OfStar(ctx.Message.Source), "star", "restarted", "archived mirror starred again", ctx.Message.DeliveryId);
                })),
            // Starred again while the unstar policy's delete is on its way: mirrored anew once it is done (ProjectRetired).
            When(Starred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId) && ctx.Saga.OneDevProjectId is not null
                                 && ctx.Saga.RetiredAction == RetiredDeleted)
                .Then(ctx =>
                {
                    AcceptStar(ctx.Saga, ctx.Message);
                    ctx.Saga.Record(Now, "star", "accepted", "mirrored anew once the unstarred project's deletion is done", ctx.Message.DeliveryId);
                }),
            When(Starred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId) && ctx.Saga.OneDevProjectId is not null
                                 && ctx.Saga.RetiredAction is null)
                .Then(ctx =>
                {
                    AcceptStar(ctx.Saga, ctx.Message);
                    ctx.Saga.Record(Now, "star", "ignored", "already mirrored", ctx.Message.DeliveryId);
                    ctx.Saga.ScheduleRefresh(Now, _options);
                }),
            SendCurrentStep(When(SyncRequested, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId) && ctx.Saga.RetiredAction is null)
                .Then(ctx =>
                {
                    ApplyReported(ctx.Saga, ctx.Message.Repository);
                    StartSync(ctx.Saga, SyncTriggers.OfSyncRequest(ctx.Message.Source), "sync", "sent", ctx.Message.Source, ctx.Message.DeliveryId);
                })),
            // Retired means no syncs at all (pushes, operators, refreshes) until the repository is starred again.
            When(SyncRequested, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId) && ctx.Saga.RetiredAction is not null)
                .Then(ctx =>
                {
                    ApplyReported(ctx.Saga, ctx.Message.Repository);
                    ctx.Saga.RememberDelivery(ctx.Message.DeliveryId);
                    ctx.Saga.Record(Now, "sync", "ignored",
                        $"{ctx.Message.Source}: the mirror was {ctx.Saga.RetiredAction} after an unstar; star the repository again to resume",
                        ctx.Message.DeliveryId);
                }),
            SendMirrorStep(When(RefreshDue, ctx => ctx.Message.Version == ctx.Saga.Version && ctx.Saga.NextSyncAt <= Now
                                                   && ctx.Saga.IsRefreshed())
                .Then(ctx => StartSync(ctx.Saga, SyncTriggers.Refresh, "refresh", "sent", $"every {ctx.Saga.SyncInterval(_options)}", null))),
            RetireIfUnstarred(When(Unstarred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId))
                .Then(ctx => RecordUnstar(ctx.Saga, ctx.Message))),
            When(ProjectRetired, ctx => ctx.Message.Action != "restored")
                .Then(ctx =>
                {
                    var m = ctx.Message;
                    if (m.Error is null && m.Action == RetiredDeleted)
                    {
                        ctx.Saga.OneDevProjectId = null;
                        ctx.Saga.OneDevProjectPath = null;
                        ctx.Saga.OneDevGitUrl = null;
                    }
                    ctx.Saga.Status = m.Error is null ? $"Unstarred: OneDev project {m.Action}" : $"Unstarred; OneDev refused: {m.Error}";
                    ctx.Saga.Record(Now, "unstar", m.Error is null ? m.Action : "failed", m.Error);
                })
                .If(ctx => ctx.Saga.Starred && ctx.Saga.OneDevProjectId is null,
                    // Starred again while the project was being deleted: mirror it anew.
                    again => SendCurrentStep(again.Then(ctx =>
                    {
                        ctx.Saga.RetiredAction = null;
                        StartSync(ctx.Saga, SyncTriggers.Star, "star", "restarted", "starred again during the unstar policy's delete", null);
                    }))));

        During(Failed,
            // A new star or sync request (not a redelivery of one already seen) is someone asking again.
            SendCurrentStep(When(Starred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId))
                .Then(ctx =>
                {
                    AcceptStar(ctx.Saga, ctx.Message);
                    StartSync(ctx.Saga, SyncTriggers.OfStar(ctx.Message.Source), "star", "restarted", ctx.Message.Source, ctx.Message.DeliveryId);
                })),
            SendCurrentStep(When(SyncRequested, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId))
                .Then(ctx =>
                {
                    ApplyReported(ctx.Saga, ctx.Message.Repository);
                    StartSync(ctx.Saga, SyncTriggers.OfSyncRequest(ctx.Message.Source), "sync", "restarted", ctx.Message.Source, ctx.Message.DeliveryId);
                })),
            When(Unstarred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId))
                .Then(ctx => RecordUnstar(ctx.Saga, ctx.Message)),
            // A sync refused for a build spec is the common reason to change the policy: try again with the new one.
            SendCurrentStep(When(BuildSpecPolicySet, ctx => ctx.Saga.BuildSpecPolicy != ctx.Message.Policy)
                .Then(ctx =>
                {
                    SetBuildSpecPolicy(ctx.Saga, ctx.Message.Policy);
                    StartSync(ctx.Saga, SyncTriggers.Manual, "sync", "restarted", "build spec policy changed", null);
                })));

        During(Pending, ProjectCreated, Mirroring,
            // The policy is applied when the running sync ends (see RetireIfUnstarred), not under its feet.
            When(Unstarred, ctx => !ctx.Saga.HasSeenDelivery(ctx.Message.DeliveryId))
                .Then(ctx => RecordUnstar(ctx.Saga, ctx.Message)));

        DuringAny(
            When(ProjectRetired, ctx => ctx.Message.Action == "restored")
                .Then(ctx => ctx.Saga.Record(Now, "star", ctx.Message.Error is null ? "restored" : "restore-failed",
                    ctx.Message.Error ?? "archive note removed from the OneDev project")),
            When(IntervalSet)
                .Then(ctx =>
                {
                    ctx.Saga.SyncIntervalSeconds = ctx.Message.IntervalSeconds is { } s ? Math.Max(s, 60) : null;
                    ctx.Saga.Record(Now, "interval", "set", $"refresh every {ctx.Saga.SyncInterval(_options)}");
                    if (ctx.Saga.CurrentState == Completed.Name)
                    {
                        ctx.Saga.ScheduleRefresh(Now, _options);
                    }
                }),
            When(BuildSpecPolicySet, ctx => ctx.Saga.BuildSpecPolicy != ctx.Message.Policy && ctx.Saga.CurrentState != Failed.Name)
                .Then(ctx => SetBuildSpecPolicy(ctx.Saga, ctx.Message.Policy)),
            When(UpstreamGone, ctx => ctx.Saga.UpstreamGoneReason != ctx.Message.Reason)
                .Then(ctx => MarkUpstreamGone(ctx.Saga, ctx.Message.Reason, "mirror kept")));

        // Late answers (a redelivered result, a result of an attempt that was superseded, a re-drive racing the
        // original) are normal in a system with at-least-once delivery: the guards above let only the current
        // attempt through, and anything else is dropped here instead of filling the _error queue.
        OnUnhandledEvent(ctx => ctx.Ignore());
    }

    public State Pending { get; private set; } = null!;
    public State ProjectCreated { get; private set; } = null!;
    public State Mirroring { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Failed { get; private set; } = null!;

    public Event<RepositoryStarred> Starred { get; private set; } = null!;
    public Event<RepositoryUnstarred> Unstarred { get; private set; } = null!;
    public Event<RepositorySyncRequested> SyncRequested { get; private set; } = null!;
    public Event<SetMirrorSyncInterval> IntervalSet { get; private set; } = null!;
    public Event<SetMirrorBuildSpecPolicy> BuildSpecPolicySet { get; private set; } = null!;
    public Event<RepositoryUpstreamGone> UpstreamGone { get; private set; } = null!;
    public Event<OneDevProjectCreated> ProjectReady { get; private set; } = null!;
    public Event<OneDevProjectCreationFailed> ProjectFailed { get; private set; } = null!;
    public Event<Fault<CreateOneDevProject>> ProjectFaulted { get; private set; } = null!;
    public Event<OneDevProjectRetired> ProjectRetired { get; private set; } = null!;
    public Event<RepositoryMirrorStarted> MirrorStarted { get; private set; } = null!;
    public Event<RepositoryMirrored> Mirrored { get; private set; } = null!;
    public Event<RepositoryMirrorFailed> MirrorFailed { get; private set; } = null!;
    public Event<Fault<MirrorRepository>> MirrorFaulted { get; private set; } = null!;
    public Event<MirrorRetryDue> RetryDue { get; private set; } = null!;
    public Event<MirrorDeadlinePassed> DeadlinePassed { get; private set; } = null!;
    public Event<MirrorRefreshDue> RefreshDue { get; private set; } = null!;

    private const string RetiredArchived = "archived";
    private const string RetiredDeleted = "deleted";

    private DateTimeOffset Now => _time.GetUtcNow();

    private void CorrelateExisting<T>(IEventCorrelationConfigurator<MirrorState, T> e, Func<ConsumeContext<T>, Guid> mirrorId,
        LogLevel level) where T : class
    {
        e.CorrelateById(mirrorId);
        e.OnMissingInstance(m => m.Execute(ctx =>
        {
            _logger.EventWithoutMirror(level, typeof(T).Name, mirrorId(ctx));
            _metrics.EventWithoutMirror(typeof(T).Name);
        }));
    }

    private static string StepName(MirrorState saga) => saga.OneDevProjectId is null ? "project" : "mirror";

    private void AcceptStar(MirrorState saga, RepositoryStarred message)
    {
        // A renamed or transferred repository keeps its id, saga and project; its recorded names follow GitHub.
        ApplyReported(saga, message.Repository);
        saga.Starred = true;
        saga.StarredAt = message.StarredAt.ToUniversalTime();
        saga.UpstreamGoneReason = null;
        saga.RememberDelivery(message.DeliveryId);
    }

    /// <summary>A new sync of a mirror that is not running one: next attempt, fresh retry budget.</summary>
    private void StartSync(MirrorState saga, string trigger, string @event, string outcome, string? detail, string? deliveryId)
    {
        BeginSync(saga, trigger);
        saga.Attempt++;
        saga.RetryCount = 0;
        saga.RedriveCount = 0;
        saga.ResyncRequested = false;
        saga.ResyncTrigger = null;
        saga.LastError = null;
        saga.TraceParent = Activity.Current?.Id;
        saga.RememberDelivery(deliveryId);
        saga.Record(Now, @event, outcome, detail, deliveryId);
    }

    /// <summary>
    /// What an event says of the repository now (a push payload, the API's answer by id) replaces what the saga
    /// recorded: names, owner, clone URL, default branch, visibility and size follow renames and transfers. Not while
    /// the project step is unanswered (Pending): an earlier attempt may have made the project under the recorded name
    /// and lost its answer, and a retry under a new name would make a second project for the same repository. The
    /// names catch up with the first sync's lookup by id.
    /// </summary>
    private void ApplyReported(MirrorState saga, GitHubRepository? reported)
    {
        if (reported is not null && reported.Id == saga.GitHubId && saga.CurrentState != Pending.Name)
        {
            saga.ApplyRepository(reported);
        }
    }

    /// <summary>
    /// GitHub no longer serves the repository (<c>deleted</c>, <c>blocked</c>): the mirror is kept and not refreshed.
    /// A running sync is left to finish unless <paramref name="endsSync"/> (the sync itself found the repository gone).
    /// </summary>
    private void MarkUpstreamGone(MirrorState saga, string reason, string detail, bool endsSync = false)
    {
        saga.UpstreamGoneReason = reason;
        saga.Status = $"GitHub repository {reason}; mirror kept, no longer refreshed";
        saga.Record(Now, "upstream", reason, detail);
        if (endsSync || saga.CurrentState == Completed.Name)
        {
            saga.ScheduleRefresh(Now, _options);
        }
    }

    private void RecordMirrored(MirrorState saga, RepositoryMirrored m)
    {
        ApplyReported(saga, m.Repository);
        saga.UpstreamGoneReason = null;
        saga.LastSyncedAt = m.CompletedAt.ToUniversalTime();
        saga.LastError = null;
        saga.RetryCount = 0;
        saga.RedriveCount = 0;
        saga.Status = $"Mirrored {m.Branches} branches and {m.Tags} tags" + (m.Pushed ? "" : " (already current)");
        saga.Record(Now, "mirror", m.Pushed ? "completed" : "unchanged", saga.Status, durationMs: m.DurationMs);
        _metrics.SyncCompleted(saga.SyncTrigger, m.Pushed, SyncDuration(saga));
        if (m.ArchivedRefs is { Count: > 0 } archived)
        {
            saga.Record(Now, "history", "archived", string.Join(", ", archived));
        }
        if (m.BuildSpecRefs is { Count: > 0 } buildSpecs)
        {
            saga.Record(Now, "buildspec", "allowed", $"{string.Join(", ", buildSpecs)} (policy {saga.BuildSpecs(_options)})");
        }
    }

    private void SetBuildSpecPolicy(MirrorState saga, BuildSpecPolicy? policy)
    {
        saga.BuildSpecPolicy = policy;
        saga.Record(Now, "buildspec", "policy", policy is { } p ? $"{p} for this mirror" : $"the default ({_options.BuildSpecPolicy})");
    }

    private void RecordUnstar(MirrorState saga, RepositoryUnstarred message)
    {
        saga.Starred = false;
        saga.RememberDelivery(message.DeliveryId);
        saga.Record(Now, "unstar", "recorded", $"policy {_options.UnstarPolicy}", message.DeliveryId);
    }

    /// <summary>
    /// Applies the unstar policy to a mirror that is unstarred and not yet retired: <c>Archive</c> and
    /// <c>Delete</c> send the command to the project consumer; <c>Keep</c> leaves the project alone.
    /// </summary>
    private EventActivityBinder<MirrorState, T> RetireIfUnstarred<T>(EventActivityBinder<MirrorState, T> binder)
        where T : class =>
        binder.If(ctx => !ctx.Saga.Starred && ctx.Saga.RetiredAction is null && ctx.Saga.OneDevProjectId is not null
                         && _options.UnstarPolicy != UnstarPolicy.Keep,
            retire => retire
                .Then(ctx =>
                {
                    ctx.Saga.RetiredAction = _options.UnstarPolicy == UnstarPolicy.Delete ? RetiredDeleted : RetiredArchived;
                    ctx.Saga.ScheduleRefresh(Now, _options);
                    ctx.Saga.Status = $"Unstarred: OneDev project being {ctx.Saga.RetiredAction}";
                })
                .IfElse(_ => _options.UnstarPolicy == UnstarPolicy.Delete,
                    delete => delete.Publish(ctx => new DeleteOneDevProject(ctx.Saga.CorrelationId,
                        ctx.Saga.OneDevProjectId!.Value, ctx.Saga.FullName)),
                    archive => archive.Publish(ctx => new ArchiveOneDevProject(ctx.Saga.CorrelationId,
                        ctx.Saga.OneDevProjectId!.Value, ctx.Saga.FullName,
                        $"{RetireOneDevProjectConsumer.ArchiveNotePrefix}{Now:yyyy-MM-dd}: {ctx.Saga.FullName} was unstarred."))));

    private EventActivityBinder<MirrorState, T> SendProjectStep<T>(EventActivityBinder<MirrorState, T> binder)
        where T : class =>
        binder
            .Then(ctx => ctx.Saga.BeginStep(Now, _options.ProjectDeadline, "Creating the OneDev project"))
            .Publish(ctx => new CreateOneDevProject(ctx.Saga.CorrelationId, ctx.Saga.Attempt, ctx.Saga.ToRepository()))
            .TransitionTo(Pending);

    private EventActivityBinder<MirrorState, T> SendMirrorStep<T>(EventActivityBinder<MirrorState, T> binder)
        where T : class =>
        binder
            .Then(ctx => ctx.Saga.BeginStep(Now, _options.QueueDeadline, "Waiting for a GitWorker"))
            .Publish(ctx => new MirrorRepository(ctx.Saga.CorrelationId, ctx.Saga.Attempt, ctx.Saga.ToRepository(),
                ctx.Saga.OneDevProjectId!.Value, ctx.Saga.OneDevGitUrl!, ctx.Saga.BuildSpecs(_options)))
            .TransitionTo(ProjectCreated);

    /// <summary>
    /// (Re)sends the step the saga is at, with its current attempt: the project step until the OneDev project is
    /// known, the mirror step after that.
    /// </summary>
    private EventActivityBinder<MirrorState, T> SendCurrentStep<T>(EventActivityBinder<MirrorState, T> binder)
        where T : class =>
        binder.IfElse(ctx => ctx.Saga.OneDevProjectId is null, SendProjectStep, SendMirrorStep);

    /// <summary>A sync starts: what started it and when, for the sync metrics.</summary>
    private void BeginSync(MirrorState saga, string trigger)
    {
        saga.SyncTrigger = trigger;
        saga.SyncStartedAt = Now;
        _metrics.SyncStarted(trigger);
    }

    private TimeSpan? SyncDuration(MirrorState saga) => saga.SyncStartedAt is { } started ? Now - started : null;

    /// <summary>The sync ends in Failed (<paramref name="failure"/>: permanent, retries_exhausted, redrives_exhausted).</summary>
    private void FailSaga(MirrorState saga, string step, string failure, string reason)
    {
        _metrics.SyncFailed(saga.SyncTrigger, step, failure, SyncDuration(saga));
        saga.LastError = reason;
        saga.ClearSchedule();
        saga.Status = $"Failed: {reason}";
        saga.Record(Now, step, "failed", reason, durationMs: saga.StepDurationMs(Now));
    }

    /// <summary>
    /// A failed step: permanent failures, and transient ones past <see cref="MirroringOptions.MaxRetries"/>,
    /// end the sync in Failed; other transient failures wait for a retry with exponential backoff and jitter. A
    /// failure that names when to try again (<paramref name="waitUntil"/>: GitHub's rate limit) is a wait, not a
    /// failed try: the retry is due then and the retry budget is untouched.
    /// </summary>
    private EventActivityBinder<MirrorState, T> OnFailure<T>(EventActivityBinder<MirrorState, T> binder, string step,
        Func<T, string> reason, Func<T, bool> transient, Func<T, DateTimeOffset?>? waitUntil = null) where T : class =>
        binder.IfElse(ctx => transient(ctx.Message) && waitUntil?.Invoke(ctx.Message) is not null,
            wait => wait.Then(ctx =>
            {
                var saga = ctx.Saga;
                var until = waitUntil!(ctx.Message)!.Value.ToUniversalTime();
                saga.LastError = reason(ctx.Message);
                saga.Record(Now, step, "waiting", $"{saga.LastError}; next try at {until:u}", durationMs: saga.StepDurationMs(Now));
                saga.ScheduleRetry(until > Now ? until : Now, _options.MaxRetries, saga.LastError);
                saga.Status = $"Waiting until {until:u}: {saga.LastError}";
            }),
            counted => counted
                .Then(ctx => ctx.Saga.RetryCount++)
                .IfElse(ctx => !transient(ctx.Message) || ctx.Saga.RetryCount > _options.MaxRetries,
                    fail => fail
                        .Then(ctx => FailSaga(ctx.Saga, step, transient(ctx.Message) ? "retries_exhausted" : "permanent",
                            transient(ctx.Message) ? $"{reason(ctx.Message)} (gave up after {_options.MaxRetries} retries)" : reason(ctx.Message)))
                        .TransitionTo(Failed),
                    retry => retry
                        .Then(ctx =>
                        {
                            var saga = ctx.Saga;
                            saga.LastError = reason(ctx.Message);
                            saga.Record(Now, step, "failed", saga.LastError, durationMs: saga.StepDurationMs(Now));
                            _metrics.Retry(step);
                            var delay = _options.RetryDelay(saga.RetryCount, (Random.Shared.NextDouble() * 2) - 1);
                            saga.ScheduleRetry(Now + delay, _options.MaxRetries, saga.LastError);
                        })));
}
