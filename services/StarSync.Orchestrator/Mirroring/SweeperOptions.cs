using System.ComponentModel.DataAnnotations;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>How the sweeper scans for due retries and passed deadlines (section <c>Sweeper</c>).</summary>
public sealed class SweeperOptions
{
    public const string Section = "Sweeper";

    /// <summary>Time between scans. A retry or deadline fires at most this late.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows claimed per scan; a scan that fills the batch is followed at once by another.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// How far a claimed row's <c>due_at</c> is pushed: if the published message is lost, the row comes due
    /// again after this lease; if the saga moves on, it rewrites <c>due_at</c> itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long <c>sync_history</c> rows are kept (a mirror writes about two an hour). Older rows are deleted by the
    /// sweeper, except each mirror's newest <see cref="HistoryKeepPerMirror"/>, so a quiet mirror keeps its story.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>History rows per mirror kept whatever their age.</summary>
    [Range(0, 100_000)]
    public int HistoryKeepPerMirror { get; set; } = 50;

    /// <summary>How often the sweeper deletes expired history (one replica at a time).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan HistoryPruneInterval { get; set; } = TimeSpan.FromHours(1);
}
