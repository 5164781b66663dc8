using System.ComponentModel.DataAnnotations;

namespace StarSync.Orchestrator.Stars;

/// <summary>
/// Star discovery by polling <c>GET /user/starred</c> (section <c>Stars</c>; validated when the host starts). GitHub
/// sends no webhook when a user stars someone else's repository, so polling is the
/// only way to learn of new stars. The state lives in the Orchestrator's database, in tables of its EF model (see
/// <see cref="StarStore"/>).
/// </summary>
internal sealed class StarPollingOptions
{
    public const string Section = "Stars";

    /// <summary>
    /// Polls when true and the <c>GitHub</c> section has credentials. Without credentials polling is off (one log
    /// line says so) and the host still starts.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often page 1 is polled (and how often a standby Orchestrator tries to take over). A 304 costs no rate limit,
    /// but GitHub's Events API asks pollers to wait at least 60 s (<c>X-Poll-Interval</c>): keep the default in
    /// production; the 5-second minimum exists for tests.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00",
        ErrorMessage = "The setting Stars:PollInterval must be between 00:00:05 and 1.00:00:00 (GitHub suggests at least 00:01:00).")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often every page is listed to find unstars, deletions, blocks and renames (also after a backfill).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "30.00:00:00",
        ErrorMessage = "The setting Stars:ReconcileInterval must be between 00:00:05 and 30.00:00:00.")]
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Items per page (GitHub's maximum is 100).</summary>
    [Range(1, 100, ErrorMessage = "The setting Stars:PageSize must be between 1 and 100.")]
    public int PageSize { get; set; } = 100;

    /// <summary>
    /// On the very first start (no state yet): true publishes every existing star (Source <c>backfill</c>); false
    /// only records them as a baseline, so that only stars made from now on are mirrored (a backfill can still be
    /// requested later).
    /// </summary>
    public bool BackfillOnFirstStart { get; set; } = true;

    /// <summary>How long one publish may wait for the broker's confirm before the round stops (retried next interval).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00",
        ErrorMessage = "The setting Stars:PublishTimeout must be between 00:00:00.001 and 00:05:00.")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
