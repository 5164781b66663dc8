using System.ComponentModel.DataAnnotations;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>Retry, backoff and deadline policy of the mirror saga (section <c>Mirroring</c>).</summary>
public sealed class MirroringOptions
{
    public const string Section = "Mirroring";

    /// <summary>Transient failures retried before a sync ends Failed.</summary>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>Delay before the first retry; it doubles with each further failure, with ±20 % jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of one backoff delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long creating the OneDev project may take before the sweeper sends the command again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ProjectDeadline { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a mirror command may wait in the queue for a GitWorker before it is sent again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan QueueDeadline { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a started mirror may run before it is presumed lost (a worker died) and sent again. Keep it
    /// above the GitWorker's longest job: <c>GitWorker:LargeRepositoryJobTimeout</c> (90 minutes by default).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan MirrorDeadline { get; set; } = TimeSpan.FromMinutes(100);

    /// <summary>Re-sends of one step after passed deadlines before the sync ends Failed.</summary>
    [Range(0, 100)]
    public int MaxRedrives { get; set; } = 3;

    /// <summary>How often a Completed mirror is refreshed, unless the admin API set its own interval.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// What a GitWorker does with a OneDev build spec (<c>.onedev-buildspec.yml</c>) at the tip of a ref it would push:
    /// <c>Refuse</c> (push nothing, fail), <c>Isolated</c> (push only while OneDev's job executors exclude the
    /// mirror) or <c>Allow</c>. Per mirror through the admin API.
    /// </summary>
    [EnumDataType(typeof(StarSync.Contracts.BuildSpecPolicy), ErrorMessage = "Mirroring:BuildSpecPolicy must be Refuse, Isolated or Allow.")]
    public StarSync.Contracts.BuildSpecPolicy BuildSpecPolicy { get; set; } = StarSync.Contracts.BuildSpecPolicy.Refuse;

    /// <summary>What an unstar does to the OneDev project.</summary>
    public UnstarPolicy UnstarPolicy { get; set; } = UnstarPolicy.Keep;

    /// <summary>The backoff before retry number <paramref name="failures"/> (1 = after the first failure).</summary>
    public TimeSpan RetryDelay(int failures, double jitter)
    {
        var exponent = Math.Clamp(failures - 1, 0, 30);
        var raw = RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(raw, RetryMaxDelay.TotalMilliseconds);
        // jitter in [-1, 1] spreads retries of many mirrors that failed together (an outage) by ±20 %.
        return TimeSpan.FromMilliseconds(capped * (1 + (0.2 * Math.Clamp(jitter, -1, 1))));
    }
}
