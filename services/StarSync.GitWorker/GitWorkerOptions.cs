using System.ComponentModel.DataAnnotations;

namespace StarSync.GitWorker;

/// <summary>How the GitWorker runs git (section <c>GitWorker</c>).</summary>
internal sealed class GitWorkerOptions
{
    public const string Section = "GitWorker";

    /// <summary>The worker's directory: the cache lives in <c>&lt;WorkDirectory&gt;/cache</c> unless <see cref="CacheDirectory"/> says otherwise.</summary>
    [Required(ErrorMessage = "GitWorker:WorkDirectory must name a writable directory.")]
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "starsync-gitworker");

    /// <summary>
    /// Where the persistent bare repositories live, one <c>&lt;GitHub repository id&gt;.git</c> per mirror (renames keep
    /// it). Several worker processes may share it: each repository is guarded by a file lock. Empty means
    /// <c>&lt;WorkDirectory&gt;/cache</c>; put it on a persistent volume so refreshes stay incremental.
    /// </summary>
    public string? CacheDirectory { get; set; }

    /// <summary>Upper bound of one mirror job (fetch, push, default branch, verification). Keep it below RabbitMQ's consumer_timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GitWorker:JobTimeout must be between 1 second and 1 day.")]
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Repositories at least this large (GitHub's <c>size</c>, in KB) get <see cref="LargeRepositoryJobTimeout"/>. Default 1 GiB.</summary>
    [Range(1L, long.MaxValue, ErrorMessage = "GitWorker:LargeRepositoryThresholdKb must be positive.")]
    public long LargeRepositoryThresholdKb { get; set; } = 1024 * 1024;

    /// <summary>
    /// Upper bound of one job for a large repository. It must stay below RabbitMQ's <c>consumer_timeout</c> (2 hours in
    /// deploy/): a job that outlives it gets its channel closed by the broker and the command redelivered mid-push.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:59:00", ErrorMessage = "GitWorker:LargeRepositoryJobTimeout must be between 1 second and 1:59 (below RabbitMQ's 2 h consumer_timeout).")]
    public TimeSpan LargeRepositoryJobTimeout { get; set; } = TimeSpan.FromMinutes(90);

    /// <summary>Free space the cache volume must keep on top of twice the repository's size before a fetch starts. Default 1 GiB.</summary>
    [Range(0L, long.MaxValue, ErrorMessage = "GitWorker:MinimumFreeDiskBytes must not be negative.")]
    public long MinimumFreeDiskBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Mirror jobs one replica runs at once; also its prefetch count.</summary>
    [Range(1, 16, ErrorMessage = "GitWorker:ConcurrentJobs must be between 1 and 16.")]
    public int ConcurrentJobs { get; set; } = 2;

    /// <summary>The git program: a name on PATH or an absolute path.</summary>
    [Required(ErrorMessage = "GitWorker:GitExecutable must name the git program.")]
    public string GitExecutable { get; set; } = "git";

    /// <summary>
    /// Longest run of one git command that only reads or writes local files (init, rev-parse, for-each-ref,
    /// merge-base, grep). They take seconds even on large repositories; one that takes longer is stuck.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GitWorker:LocalCommandTimeout must be between 1 second and 1 day.")]
    public TimeSpan LocalCommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest run of one <c>git ls-remote</c> (a ref listing, no objects): a server that accepts and never answers is given up on after this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GitWorker:LsRemoteTimeout must be between 1 second and 1 day.")]
    public TimeSpan LsRemoteTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A fetch, push or Git LFS transfer (and the cache check, <c>git fsck</c>) that prints nothing, not even progress,
    /// for this long is stuck and killed. Git prints progress at least every second while objects move; the longest
    /// silent stretch of a healthy transfer is a server preparing a pack for a very large repository.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GitWorker:TransferInactivityTimeout must be between 1 second and 1 day.")]
    public TimeSpan TransferInactivityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Longest run of one transfer even while it makes progress (a server that drips). The default is the large
    /// repository job timeout, so it never cuts off a transfer the job itself would allow.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GitWorker:TransferTimeout must be between 1 second and 1 day.")]
    public TimeSpan TransferTimeout { get; set; } = TimeSpan.FromMinutes(90);

    /// <summary><see cref="CacheDirectory"/>, or <c>&lt;WorkDirectory&gt;/cache</c> when it is not set, as an absolute path.</summary>
    public string ResolvedCacheDirectory => Path.GetFullPath(
        string.IsNullOrWhiteSpace(CacheDirectory) ? Path.Combine(WorkDirectory, "cache") : CacheDirectory);

    /// <summary>The job timeout for a repository of <paramref name="sizeKb"/> KB.</summary>
    public TimeSpan JobTimeoutFor(long sizeKb) => sizeKb >= LargeRepositoryThresholdKb ? LargeRepositoryJobTimeout : JobTimeout;
}
