using System.Collections.Concurrent;

using MassTransit;

using StarSync.Contracts;

namespace StarSync.Ingress.Tests.Admin;

/// <summary>
/// Answers the admin API's requests the way the Orchestrator's status consumer does (filter by state, order by full
/// name, page), from a fixed set of mirrors, and records every request it got.
/// </summary>
internal sealed class FakeOrchestrator
{
    /// <summary>Appears only in the mirror data: a refused answer must never contain it.</summary>
    public const string DataMarker = "mirror-data-marker";

    public const long FailedGitHubId = 42424242;
    public const string FailedFullName = "octo-org/broken-repo";

    public ConcurrentQueue<object> Requests { get; } = new();

    /// <summary>Whether the Orchestrator's star poller is on: a backfill is then recorded, else refused as "off".</summary>
    public bool StarPolling { get; set; }

    /// <summary>Names a setting, as the Orchestrator's reason does: logged by the Ingress, never answered.</summary>
    public const string StarPollingOffReason = "Stars:Enabled is false.";

    public IReadOnlyList<MirrorStatus> Mirrors { get; } =
    [
        Mirror(WebhookPayloads.RepositoryId, WebhookPayloads.FullName, "Completed", "mirrored", null, historyLines: 60),
        Mirror(FailedGitHubId, FailedFullName, "Failed", "mirror failed",
            $"fatal: could not read Username for 'https://github.com' ({DataMarker})", historyLines: 3),
    ];

    public Task AnswerAsync(ConsumeContext<GetMirrorStatus> context)
    {
        var request = context.Message;
        Requests.Enqueue(request);
        var mirror = Mirrors.FirstOrDefault(m => m.GitHubId == request.GitHubId);
        return mirror is null
            ? context.RespondAsync(new MirrorNotFound(request.GitHubId))
            : context.RespondAsync(mirror with { History = [.. mirror.History.TakeLast(request.HistoryLimit)] });
    }

    public Task AnswerAsync(ConsumeContext<ListMirrors> context)
    {
        var request = context.Message;
        Requests.Enqueue(request);
        var matching = Mirrors.Where(m => request.State is null || m.State == request.State).OrderBy(m => m.FullName, StringComparer.Ordinal).ToList();
        return context.RespondAsync(new MirrorList(matching.Count,
            [.. matching.Skip(request.Offset).Take(request.Limit).Select(m => m with { History = [] })]));
    }

    public Task AnswerAsync(ConsumeContext<BackfillStars> context)
    {
        var request = context.Message;
        Requests.Enqueue(request);
        return StarPolling
            ? context.RespondAsync(new StarBackfillRequested(request.RequestId, request.RequestedAt))
            : context.RespondAsync(new StarPollingUnavailable(request.RequestId, StarPollingOffReason));
    }

    /// <summary>The trace id the fake gives history line <paramref name="line"/> (0: the mirror's current sync).</summary>
    public static string TraceIdOf(int line) => $"{line + 1:x32}";

    private static MirrorStatus Mirror(long gitHubId, string fullName, string state, string status, string? lastError, int historyLines)
    {
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        return new MirrorStatus(MirrorIds.ForGitHubRepository(gitHubId), gitHubId, fullName, state, status, Starred: true,
            $"github/{fullName}", Attempt: 2, RetryCount: 0, lastError, LastSyncedAt: at, NextSyncAt: at.AddHours(1),
            SyncIntervalSeconds: null, UpdatedAt: at,
            [.. Enumerable.Range(1, historyLines).Select(i => new MirrorHistoryLine(at.AddMinutes(i), 1, "sync", "sent", $"line {i}", null,
                TraceId: TraceIdOf(i)))], TraceId: TraceIdOf(0));
    }
}
