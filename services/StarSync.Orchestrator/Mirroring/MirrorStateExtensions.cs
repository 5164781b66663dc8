using System.Diagnostics;
using StarSync.Contracts;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>The small bookkeeping steps the state machine applies to a saga, kept out of the machine's flow.</summary>
internal static class MirrorStateExtensions
{
    public static bool HasSeenDelivery(this MirrorState saga, string? deliveryId) =>
        deliveryId is not null && saga.RecentDeliveries.Contains(deliveryId);

    public static void RememberDelivery(this MirrorState saga, string? deliveryId)
    {
        if (deliveryId is null || saga.RecentDeliveries.Contains(deliveryId))
        {
            return;
        }
        saga.RecentDeliveries.Add(deliveryId);
        if (saga.RecentDeliveries.Count > MirrorState.DeliveryMemory)
        {
            saga.RecentDeliveries.RemoveRange(0, saga.RecentDeliveries.Count - MirrorState.DeliveryMemory);
        }
    }

    public static void ApplyRepository(this MirrorState saga, GitHubRepository repository)
    {
        saga.GitHubId = repository.Id;
        saga.Owner = repository.Owner;
        saga.Name = repository.Name;
        saga.FullName = repository.FullName;
        saga.CloneUrl = repository.CloneUrl;
        saga.HtmlUrl = repository.HtmlUrl;
        saga.DefaultBranch = repository.DefaultBranch;
        saga.Private = repository.Private;
        saga.SizeKb = repository.SizeKb;
        saga.Description = repository.Description;
    }

    public static GitHubRepository ToRepository(this MirrorState saga) => new(
        saga.GitHubId, saga.Owner, saga.Name, saga.FullName, saga.CloneUrl, saga.HtmlUrl, saga.DefaultBranch,
        saga.Private, saga.SizeKb, saga.Description);

    /// <summary>
    /// Whether a Completed mirror is kept current: it has a project, the unstar policy has not retired it, and
    /// GitHub still serves the repository. (Under the default unstar policy, Keep, an unstarred mirror stays current.)
    /// </summary>
    public static bool IsRefreshed(this MirrorState saga) =>
        saga.RetiredAction is null && saga.UpstreamGoneReason is null && saga.OneDevProjectId is not null;

    /// <summary>The build spec policy the mirror's syncs apply: its own, else the configured default.</summary>
    public static BuildSpecPolicy BuildSpecs(this MirrorState saga, MirroringOptions options) =>
        saga.BuildSpecPolicy ?? options.BuildSpecPolicy;

    public static TimeSpan SyncInterval(this MirrorState saga, MirroringOptions options) =>
        saga.SyncIntervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.SyncInterval;

    /// <summary>A Completed mirror waits for its next refresh (or for nothing, when it is not refreshed).</summary>
    public static void ScheduleRefresh(this MirrorState saga, DateTimeOffset now, MirroringOptions options)
    {
        saga.NextRetryAt = null;
        saga.DeadlineAt = null;
        saga.NextSyncAt = saga.IsRefreshed() ? now + saga.SyncInterval(options) : null;
        saga.DueAt = saga.NextSyncAt;
    }

    /// <summary>A step was sent: it must be answered before <paramref name="deadline"/> has passed.</summary>
    public static void BeginStep(this MirrorState saga, DateTimeOffset now, TimeSpan deadline, string status)
    {
        saga.StepStartedAt = now;
        saga.NextSyncAt = null;
        saga.NextRetryAt = null;
        saga.DeadlineAt = now + deadline;
        saga.DueAt = saga.DeadlineAt;
        saga.Status = status;
    }

    public static void ScheduleRetry(this MirrorState saga, DateTimeOffset at, int maxRetries, string reason)
    {
        saga.NextRetryAt = at;
        saga.DeadlineAt = null;
        saga.DueAt = at;
        saga.Status = $"Retry {saga.RetryCount} of {maxRetries} due at {at:u} after: {reason}";
    }

    public static void ClearSchedule(this MirrorState saga)
    {
        saga.NextSyncAt = null;
        saga.NextRetryAt = null;
        saga.DeadlineAt = null;
        saga.DueAt = null;
    }

    public static long? StepDurationMs(this MirrorState saga, DateTimeOffset now) =>
        saga.StepStartedAt is { } started ? (long)(now - started).TotalMilliseconds : null;

    public static void Record(this MirrorState saga, DateTimeOffset now, string @event, string outcome,
        string? detail = null, string? deliveryId = null, long? durationMs = null) =>
        saga.History.Add(new SyncHistoryEntry
        {
            MirrorId = saga.CorrelationId,
            Attempt = saga.Attempt,
            Event = @event,
            Outcome = outcome,
            Detail = detail,
            DeliveryId = SyncHistoryEntry.StoredDeliveryId(deliveryId),
            DurationMs = durationMs,
            RecordedAt = now,
            TraceId = Activity.Current is { } activity ? activity.TraceId.ToHexString() : null,
        });

    /// <summary>The readable reason of a MassTransit fault: the first exception's type and message.</summary>
    public static string Describe<T>(this MassTransit.Fault<T> fault) where T : class =>
        fault.Exceptions?.FirstOrDefault(e => e is not null) is { } first
            ? $"{first.ExceptionType}: {first.Message}"
            : "the command faulted";
}
