using MassTransit;
using StarSync.Contracts;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>
/// One row per mirrored GitHub repository (table <c>mirrors</c>). The correlation id is derived from the GitHub
/// repository id, so a renamed or transferred repository keeps its saga and its OneDev project.
/// </summary>
public sealed class MirrorState : SagaStateMachineInstance, ISagaVersion
{
    /// <summary>How many <c>X-GitHub-Delivery</c> ids are remembered to recognise redeliveries.</summary>
    public const int DeliveryMemory = 16;

    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = "Initial";
    public int Version { get; set; }

    public long GitHubId { get; set; }
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public string FullName { get; set; } = "";
    public string CloneUrl { get; set; } = "";
    public string HtmlUrl { get; set; } = "";
    public string DefaultBranch { get; set; } = "";
    public bool Private { get; set; }
    public long SizeKb { get; set; }
    public string? Description { get; set; }
    public bool Starred { get; set; }
    public DateTimeOffset? StarredAt { get; set; }

    public long? OneDevProjectId { get; set; }
    public string? OneDevProjectPath { get; set; }
    public string? OneDevGitUrl { get; set; }

    /// <summary>A one-line, readable account of where the mirror stands (shown by the status API).</summary>
    public string Status { get; set; } = "";
    /// <summary>The attempt that commands and their answers carry; answers for another attempt are stale.</summary>
    public int Attempt { get; set; }
    /// <summary>Failures of the current sync; reset when a sync completes or a Failed mirror is restarted.</summary>
    public int RetryCount { get; set; }
    /// <summary>How often the sweeper re-sent the current step because its deadline passed.</summary>
    public int RedriveCount { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastSyncedAt { get; set; }
    public string? LastWorker { get; set; }
    /// <summary>When the current step was sent (the duration of a step is measured from here).</summary>
    public DateTimeOffset? StepStartedAt { get; set; }

    public DateTimeOffset? NextRetryAt { get; set; }
    public DateTimeOffset? DeadlineAt { get; set; }
    /// <summary>The earlier of <see cref="NextRetryAt"/> and <see cref="DeadlineAt"/>: what the sweeper scans.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>This mirror's refresh interval; null means <see cref="MirroringOptions.SyncInterval"/>.</summary>
    public int? SyncIntervalSeconds { get; set; }
    /// <summary>When a Completed mirror is next refreshed; null while it is not refreshed (unstarred, gone).</summary>
    public DateTimeOffset? NextSyncAt { get; set; }
    /// <summary>A sync was asked for (a push, an operator) while one was running: run another when it ends.</summary>
    public bool ResyncRequested { get; set; }
    /// <summary>What started the current (or last) sync: one of <see cref="SyncTriggers"/>; a metrics label.</summary>
    public string? SyncTrigger { get; set; }
    /// <summary>When the current (or last) sync started: its duration is measured from here.</summary>
    public DateTimeOffset? SyncStartedAt { get; set; }
    /// <summary>What asked for the sync that runs when the current one ends (<see cref="ResyncRequested"/>).</summary>
    public string? ResyncTrigger { get; set; }
    /// <summary>What the unstar policy did to the OneDev project: <c>archived</c>, <c>deleted</c>, or null.</summary>
    public string? RetiredAction { get; set; }
    /// <summary>Why GitHub no longer serves the repository (<c>deleted</c>, <c>blocked</c>, …), or null.</summary>
    public string? UpstreamGoneReason { get; set; }
    /// <summary>This mirror's build spec policy, set through the admin API; null means <see cref="MirroringOptions.BuildSpecPolicy"/>.</summary>
    public StarSync.Contracts.BuildSpecPolicy? BuildSpecPolicy { get; set; }

    public List<string> RecentDeliveries { get; set; } = [];
    /// <summary>W3C traceparent of the sync's first message, so sweeper-driven steps join the same trace.</summary>
    public string? TraceParent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>New history rows; loading a saga does not load its history, so this only ever holds additions.</summary>
    public List<SyncHistoryEntry> History { get; set; } = [];

    public static MirrorState Create(RepositoryStarred message) => new()
    {
        CorrelationId = message.MirrorId,
        GitHubId = message.Repository.Id,
        FullName = message.Repository.FullName,
    };
}
