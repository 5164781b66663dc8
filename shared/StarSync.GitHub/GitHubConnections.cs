using Microsoft.Extensions.Options;

using Octokit;

namespace StarSync.GitHub;

/// <summary>
/// Opens <see cref="GitHubCall"/>s against the configured API root (<c>GitHub:ApiUrl</c>, e.g. the emulator's or a GitHub
/// Enterprise Server's <c>/api/v3/</c>) or web root (<c>GitHub:WebUrl</c>, for OAuth), with the configured timeout and
/// User-Agent, over the handlers of the named client <see cref="HandlerName"/>.
/// </summary>
internal sealed class GitHubConnections(IHttpMessageHandlerFactory handlers, IOptions<GitHubClientOptions> options, GitHubResponseCache cache, TimeProvider time)
{
    public const string HandlerName = "StarSync.GitHub";

    private readonly GitHubClientOptions _options = options.Value;

    public Uri ApiRoot { get; } = BaseAddress.Of(options.Value.ApiUrl);

    private Uri WebRoot { get; } = BaseAddress.Of(options.Value.WebUrl);

    private ProductHeaderValue Product { get; } = new(options.Value.UserAgent.Replace(' ', '-'));

    /// <summary>
    /// A call to the REST API as <paramref name="token"/> (anonymous when null). Answers are cached for conditional
    /// requests under <paramref name="credential"/> unless <paramref name="cached"/> is false.
    /// </summary>
    public GitHubCall Api(string credential, string? token, string operation, CancellationToken ct, string? ifNoneMatch = null, bool cached = true) =>
        new(
            handlers.CreateHandler(HandlerName),
            ApiRoot,
            ApiRoot,
            Product,
            token is null ? Credentials.Anonymous : new Credentials(token, AuthenticationType.Bearer),
            cached ? cache.For(credential) : null,
            _options.RequestTimeout,
            operation,
            ifNoneMatch,
            time,
            ct);

    /// <summary>An anonymous call to the web root (OAuth's <c>login/oauth/access_token</c>), never cached.</summary>
    public GitHubCall Web(string operation, CancellationToken ct) =>
        new(handlers.CreateHandler(HandlerName), WebRoot, ApiRoot, Product, Credentials.Anonymous, null, _options.RequestTimeout, operation, null, time, ct);
}
