using StarSync.OneDev;

namespace StarSync.GitWorker.Mirroring;

/// <summary>Points OneDev's default branch at the plan's (REST), when it is not there already.</summary>
internal sealed class OneDevDefaultBranch(OneDevClient oneDev, ILogger<OneDevDefaultBranch> logger)
{
    public async Task EnsureAsync(long projectId, string? branch, CancellationToken cancellationToken)
    {
        if (branch is null)
        {
            return;
        }
        var current = await oneDev.GetDefaultBranchAsync(projectId, cancellationToken);
        if (MirrorPlanner.DefaultBranchChange(current, branch) is not { } change)
        {
            return;
        }
        await oneDev.SetDefaultBranchAsync(projectId, change, cancellationToken);
        logger.DefaultBranchChanged(projectId, current ?? "(none)", change);
    }
}
