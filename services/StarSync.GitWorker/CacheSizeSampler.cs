using Microsoft.Extensions.Options;

namespace StarSync.GitWorker;

/// <summary>
/// Measures the cache directory's size on disk every <see cref="Interval"/> for <see cref="GitWorkerMetrics"/>: a walk
/// of the directory tree, cheap next to a fetch, and never done at scrape time.
/// </summary>
internal sealed partial class CacheSizeSampler(
    IOptions<GitWorkerOptions> options, GitWorkerMetrics metrics, TimeProvider time, ILogger<CacheSizeSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = options.Value.ResolvedCacheDirectory;
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                metrics.CacheMeasured(await Task.Run(() => SizeOf(directory), stoppingToken));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogUnmeasured(logger, directory, ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>Bytes of every file under <paramref name="directory"/>; 0 when it does not exist yet.</summary>
    internal static long SizeOf(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        var files = new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
        });
        long total = 0;
        foreach (var file in files)
        {
            try
            {
                total += file.Length;
            }
            catch (FileNotFoundException)
            {
                // Removed while the walk ran (git's temporary files, a cache being replaced): not there any more.
            }
        }
        return total;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(3090, LogLevel.Warning, "The cache size under {Directory} could not be measured: {Reason}")]
    private static partial void LogUnmeasured(ILogger logger, string directory, string reason);
}
