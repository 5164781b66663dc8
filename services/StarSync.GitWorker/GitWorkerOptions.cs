using System.ComponentModel.DataAnnotations;

namespace StarSync.GitWorker;

/// <summary>How the GitWorker runs git (section <c>GitWorker</c>).</summary>
internal sealed class GitWorkerOptions
{
    public const string Section = "GitWorker";

    /// <summary>Parent of the per-job temporary repositories; each job deletes its own directory when it ends.</summary>
    [Required(ErrorMessage = "GitWorker:WorkDirectory must name a writable directory.")]
    public string WorkDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "starsync-gitworker");

    /// <summary>Upper bound of one mirror job (fetch, push, default branch, verification). Keep it below RabbitMQ's consumer_timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "GitWorker:JobTimeout must be between 1 second and 1 day.")]
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Mirror jobs one replica runs at once; also its prefetch count.</summary>
    [Range(1, 16, ErrorMessage = "GitWorker:ConcurrentJobs must be between 1 and 16.")]
    public int ConcurrentJobs { get; set; } = 2;

    /// <summary>The git program: a name on PATH or an absolute path.</summary>
    [Required(ErrorMessage = "GitWorker:GitExecutable must name the git program.")]
    public string GitExecutable { get; set; } = "git";
}
