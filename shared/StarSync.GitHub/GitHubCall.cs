using Octokit;
using Octokit.Caching;
using Octokit.Internal;

namespace StarSync.GitHub;

/// <summary>
/// One operation against GitHub: an Octokit connection with one credential over the host's handler pipeline (base
/// address, timeout, no automatic redirects), watched by its own <see cref="GitHubWire"/>. A connection per operation
/// keeps Octokit's per-connection state (<c>GetLastApiInfo()</c>) and the wire's observations to that operation, also
/// when operations run concurrently; the handlers and the response cache underneath are shared.
/// </summary>
internal sealed class GitHubCall : IDisposable
{
    private readonly HttpClientAdapter _adapter;

    public GitHubCall(
        HttpMessageHandler handler,
        Uri baseAddress,
        Uri apiRoot,
        ProductHeaderValue product,
        Credentials credentials,
        IResponseCache? cache,
        TimeSpan timeout,
        string operation,
        string? ifNoneMatch,
        TimeProvider time,
        CancellationToken ct)
    {
        Wire = new GitHubWire(apiRoot, operation, ifNoneMatch, time, ct) { InnerHandler = handler };
        _adapter = new HttpClientAdapter(() => Wire);
        var connection = new Connection(product, baseAddress, new InMemoryCredentialStore(credentials), _adapter, new SimpleJsonSerializer());
        if (cache is not null)
        {
            connection.ResponseCache = cache;
        }

        connection.SetRequestTimeout(timeout);
        Connection = connection;
        Octokit = new Octokit.GitHubClient(connection);
    }

    public IConnection Connection { get; }

    public IGitHubClient Octokit { get; }

    public GitHubWire Wire { get; }

    /// <summary>Disposes the adapter's HttpClient and the wire; the factory's handler underneath ignores disposal.</summary>
    public void Dispose() => _adapter.Dispose();
}
