using System.Net;

namespace StarSync.GitHub;

/// <summary>
/// One operation's handler under Octokit's <c>HttpClientAdapter</c>, so it sees every answer on the wire, also the ones
/// Octokit hides: it records the last status (a 304 that Octokit's response cache turned into the remembered 200), the
/// <c>x-ratelimit-*</c> headers of that answer (after a 304 Octokit reports the remembered ones), and the one redirect
/// it lets Octokit follow (only under the API root, where the token may go; anything else throws). It adds
/// <c>X-GitHub-Api-Version</c> to API requests, the caller's <c>If-None-Match</c> when Octokit's cache has none, and
/// the caller's cancellation, which Octokit's GET methods do not take.
/// </summary>
internal sealed class GitHubWire(Uri apiRoot, string operation, string? ifNoneMatch, TimeProvider time, CancellationToken callerToken) : DelegatingHandler
{
    public const string ApiVersion = "2022-11-28";

    /// <summary>The status of the last answer received (null before one).</summary>
    public HttpStatusCode? LastStatus { get; private set; }

    /// <summary>GitHub answered 304: Octokit returns the remembered answer, or (with no remembered one) the empty 304.</summary>
    public bool NotModified => LastStatus == HttpStatusCode.NotModified;

    /// <summary>Where GitHub redirected the request (a rename or transfer), or null.</summary>
    public Uri? RedirectedTo { get; private set; }

    /// <summary>The <c>x-ratelimit-*</c> headers of the last answer that carried them.</summary>
    public RateLimitStatus? RateLimit { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callerToken);
        if (IsUnderApi(request.RequestUri!))
        {
            request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", ApiVersion);
        }

        if (ifNoneMatch is not null && RedirectedTo is null && request.Method == HttpMethod.Get && !request.Headers.Contains("If-None-Match"))
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        var response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        LastStatus = response.StatusCode;
        RateLimit = RateLimitStatus.Read(response.Headers, time.GetUtcNow()) ?? RateLimit;
        if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
            string? refusal = RedirectedTo is not null ? $"GitHub redirected twice when asked to {operation}."
                : !IsUnderApi(target) ? $"GitHub redirected to another host when asked to {operation}; not following."
                : null;
            if (refusal is not null)
            {
                var status = response.StatusCode;
                response.Dispose();
                throw new GitHubException(refusal, status, isTransient: false);
            }

            RedirectedTo = target;
            response.Headers.Location = target;
        }

        return response;
    }

    private bool IsUnderApi(Uri uri) =>
        string.Equals(uri.GetLeftPart(UriPartial.Authority), apiRoot.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
        && uri.AbsolutePath.StartsWith(apiRoot.AbsolutePath, StringComparison.Ordinal);
}
