using Microsoft.Extensions.Diagnostics.HealthChecks;

using StarSync.GitWorker.Git;

namespace StarSync.GitWorker;

/// <summary>Healthy when the configured git program runs (<c>git --version</c>).</summary>
internal sealed class GitHealthCheck(GitCli git) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var result = await git.RunAsync(new GitInvocation("--version", [], "check git"), timeout.Token);
            return result.Succeeded
                ? HealthCheckResult.Healthy(result.Output.Trim())
                : HealthCheckResult.Unhealthy($"git --version exited with code {result.ExitCode}");
        }
        catch (GitException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"git --version did not answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
