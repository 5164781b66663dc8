using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.Orchestrator.Mirroring;
using StarSync.OneDev;

namespace StarSync.Orchestrator.Projects;

/// <summary>
/// At start-up, reads OneDev's job executors (an administrator's token can) and warns when one of them would run
/// the jobs of a build spec pushed into a mirror project, as rendered from <see cref="ProjectsOptions.NameTemplate"/>.
/// StarSync refuses such pushes by default (<see cref="MirroringOptions.BuildSpecPolicy"/>); the warning tells the
/// operator how to make a mirror that is allowed to carry one safe as well. Never fails the start.
/// </summary>
internal sealed class JobExecutorCheck(
    OneDevClient oneDev,
    IOptions<ProjectsOptions> projects,
    IOptions<MirroringOptions> mirroring,
    ILogger<JobExecutorCheck> logger) : BackgroundService
{
    /// <summary>A sample mirror, to see where the name template puts mirror projects.</summary>
    private static readonly GitHubRepository Sample = new(0, "owner", "repo", "owner/repo", "", "", "main", false, 0, null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken) => await CheckAsync(stoppingToken);

    public async Task<IsolationVerdict?> CheckAsync(CancellationToken cancellationToken)
    {
        var path = ProjectNaming.Join(ProjectNaming.Render(projects.Value.NameTemplate, Sample));
        IReadOnlyList<OneDevJobExecutor>? executors;
        try
        {
            executors = await oneDev.GetJobExecutorsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OneDevException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.JobExecutorsUnreadable(ex.Message);
            return null;
        }
        if (executors is null)
        {
            logger.JobExecutorsUnreadable("the OneDev token is not an administrator's");
            return null;
        }
        var verdict = JobExecutorIsolation.Evaluate(executors, path);
        if (verdict.Isolated)
        {
            logger.JobExecutorsIsolated(path);
        }
        else
        {
            logger.JobExecutorsExposeMirrors(path, verdict.Reason, mirroring.Value.BuildSpecPolicy.ToString());
        }
        return verdict;
    }
}
