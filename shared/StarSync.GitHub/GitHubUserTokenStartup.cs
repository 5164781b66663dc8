using Microsoft.Extensions.Hosting;

namespace StarSync.GitHub;

/// <summary>
/// Reads the owner's user token store when the host starts, so that a store the key cannot decrypt (or an unreadable
/// file) stops the start with <see cref="GitHubTokenStoreException"/>'s message instead of failing the first poll.
/// </summary>
internal sealed class GitHubUserTokenStartup(GitHubTokenProvider tokens) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => tokens.LoadUserTokenAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
