using System.Diagnostics;

using MassTransit;

using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.GitWorker.Git;
using StarSync.OneDev;
using StarSync.ServiceDefaults;

namespace StarSync.GitWorker;

/// <summary>
/// Makes one attempt per <see cref="MirrorRepository"/> and reports it: <see cref="RepositoryMirrorStarted"/>,
/// then <see cref="RepositoryMirrored"/> or <see cref="RepositoryMirrorFailed"/>. Git and OneDev failures are
/// reported, not thrown (the saga owns retries); only host shutdown propagates, so the command is redelivered.
/// </summary>
internal sealed class MirrorRepositoryConsumer(
    RepositoryMirror mirror,
    IOptions<GitWorkerOptions> options,
    TimeProvider time,
    GitWorkerMetrics metrics,
    ILogger<MirrorRepositoryConsumer> logger) : IConsumer<MirrorRepository>
{
    /// <summary>Which replica worked on a command: machine name and process id.</summary>
    public static string Worker { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task Consume(ConsumeContext<MirrorRepository> context)
    {
        var command = context.Message;
        var repository = command.Repository.FullName;
        // A bounded span name; the repository is an attribute.
        using var activity = StarSyncTelemetry.Source.StartActivity("mirror repository");
        activity?.SetTag("starsync.repository", repository);
        activity?.SetTag("github.repository.id", command.Repository.Id);
        activity?.SetTag("starsync.mirror.id", command.MirrorId);
        activity?.SetTag("starsync.mirror.attempt", command.Attempt);

        var started = time.GetTimestamp();
        await context.Publish(new RepositoryMirrorStarted(command.MirrorId, command.Attempt, Worker, time.GetUtcNow()), context.CancellationToken);
        logger.MirrorStarted(repository, command.Attempt, command.OneDevProjectId, Worker);

        metrics.JobStarted();
        var jobOutcome = "interrupted";
        try
        {
            jobOutcome = await RunAsync(context, activity, started) ? "completed" : "failed";
        }
        finally
        {
            metrics.JobEnded(jobOutcome, time.GetElapsedTime(started));
        }
    }

    /// <summary>Runs the job and publishes its verdict: true when mirrored, false when failed; throws on shutdown.</summary>
    private async Task<bool> RunAsync(ConsumeContext<MirrorRepository> context, Activity? activity, long started)
    {
        var command = context.Message;
        var repository = command.Repository.FullName;
        var jobTimeout = options.Value.JobTimeoutFor(command.Repository.SizeKb);
        using var job = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        job.CancelAfter(jobTimeout);
        GitFailure failure;
        IReadOnlyList<string>? refusedBuildSpecs = null;
        try
        {
            var outcome = await mirror.RunAsync(command, job.Token);
            var elapsed = ElapsedMs(started);
            activity?.SetTag("starsync.mirror.pushed", outcome.Pushed);
            await context.Publish(
                new RepositoryMirrored(
                    command.MirrorId, command.Attempt, time.GetUtcNow(), outcome.Branches, outcome.Tags, outcome.Pushed, elapsed,
                    outcome.ArchivedRefs ?? [], outcome.LfsObjects, outcome.Repository, outcome.BuildSpecRefs),
                context.CancellationToken);
            logger.MirrorCompleted(repository, outcome.Branches, outcome.Tags, outcome.Pushed, elapsed);
            return true;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The host is stopping: no verdict; the unacked command is redelivered to this or another replica.
            logger.MirrorInterrupted(repository, command.Attempt);
            activity?.SetStatus(ActivityStatusCode.Error, "interrupted by shutdown");
            throw;
        }
        catch (OperationCanceledException) when (job.IsCancellationRequested)
        {
            failure = GitFailure.TimedOut("mirror", jobTimeout);
        }
        catch (GitException ex)
        {
            failure = ex.Failure;
        }
        catch (BuildSpecRefusedException ex)
        {
            failure = new GitFailure(ex.Message, Transient: false);
            refusedBuildSpecs = ex.Refs;
        }
        catch (OneDevException ex)
        {
            failure = new GitFailure(ex.Message, ex.IsTransient);
        }

        var duration = ElapsedMs(started);
        activity?.SetStatus(ActivityStatusCode.Error, failure.Transient ? "transient failure" : "permanent failure");
        logger.MirrorFailed(repository, command.Attempt, failure.Transient, failure.Reason, duration);
        await context.Publish(
            new RepositoryMirrorFailed(command.MirrorId, command.Attempt, failure.Reason, failure.Transient, time.GetUtcNow(), duration,
                failure.RetryAt, failure.UpstreamGone, refusedBuildSpecs),
            context.CancellationToken);
        return false;
    }

    private long ElapsedMs(long started) => (long)time.GetElapsedTime(started).TotalMilliseconds;
}
