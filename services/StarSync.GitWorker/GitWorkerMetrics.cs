using System.Diagnostics.Metrics;

namespace StarSync.GitWorker;

/// <summary>
/// The GitWorker's instruments on the <c>StarSync</c> meter: each git command's duration and the bytes git reports
/// moving, jobs in progress and their duration, and the cache's size on disk (<see cref="CacheSizeSampler"/>). Labels
/// are bounded: the git command (<c>fetch</c>, <c>push</c>, <c>lfs fetch</c>, ...), outcomes, never a repository.
/// </summary>
internal sealed class GitWorkerMetrics
{
    private readonly Histogram<double> _gitDuration;
    private readonly Counter<long> _transferred;
    private readonly UpDownCounter<long> _activeJobs;
    private readonly Histogram<double> _jobDuration;
    private long _cacheBytes = -1;

    public GitWorkerMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("StarSync");
        _gitDuration = meter.CreateHistogram<double>("starsync.git.command.duration", "s",
            "One git command, by command (fetch, push, ls-remote, ...) and outcome (ok, failed, timed_out, cancelled)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800] });
        _transferred = meter.CreateCounter<long>("starsync.git.transferred", "By",
            "Bytes git reported moving: fetched from GitHub (command fetch) and pushed to OneDev (command push)");
        _activeJobs = meter.CreateUpDownCounter<long>("starsync.gitworker.jobs.active", "{job}", "Mirror jobs running in this worker");
        _jobDuration = meter.CreateHistogram<double>("starsync.gitworker.job.duration", "s",
            "One mirror job, by outcome (completed, failed, interrupted: shutdown or a lost broker)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600, 5400] });
        meter.CreateObservableGauge("starsync.gitworker.cache.size", ObserveCache, "By",
            "Bytes on disk under GitWorker:CacheDirectory, as last measured");
    }

    public void GitCommand(string command, string outcome, TimeSpan elapsed, long? transferredBytes)
    {
        var tag = new KeyValuePair<string, object?>("command", command);
        _gitDuration.Record(elapsed.TotalSeconds, tag, new KeyValuePair<string, object?>("outcome", outcome));
        if (transferredBytes is { } bytes)
        {
            _transferred.Add(bytes, tag);
        }
    }

    public void JobStarted() => _activeJobs.Add(1);

    public void JobEnded(string outcome, TimeSpan elapsed)
    {
        _activeJobs.Add(-1);
        _jobDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    public void CacheMeasured(long bytes) => Interlocked.Exchange(ref _cacheBytes, bytes);

    private IEnumerable<Measurement<long>> ObserveCache()
    {
        var bytes = Interlocked.Read(ref _cacheBytes);
        return bytes < 0 ? [] : [new Measurement<long>(bytes)];
    }
}
