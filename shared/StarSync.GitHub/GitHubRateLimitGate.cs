using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;

namespace StarSync.GitHub;

/// <summary>
/// Remembers, per credential, until when GitHub must not be called (a primary limit until x-ratelimit-reset, a secondary one until retry-after), and the latest
/// <c>x-ratelimit-*</c> status. Shared by all <see cref="GitHubClient"/> instances of a service provider.
/// </summary>
internal sealed class GitHubRateLimitGate
{
    private readonly TimeProvider time;

    /// <param name="meters">When given, the latest status is the gauge <c>starsync.github.rate_limit.remaining</c>.</param>
    public GitHubRateLimitGate(TimeProvider time, IMeterFactory? meters = null)
    {
        this.time = time;
        meters?.Create("StarSync").CreateObservableGauge("starsync.github.rate_limit.remaining", ObserveRemaining, "{request}",
            "Requests left in GitHub's current rate-limit window, as its latest answer said (tag resource: core, graphql, ...)");
    }

    /// <summary>Wait when a rate-limit answer says neither retry-after nor reset.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);

    /// <summary>Longest back-off for repeated secondary limits.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Block> _blocks = new(StringComparer.Ordinal);
    private RateLimitStatus? _last;

    public RateLimitStatus? Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    private IEnumerable<Measurement<int>> ObserveRemaining() =>
        Last is { } last ? [new Measurement<int>(last.Remaining, new KeyValuePair<string, object?>("resource", last.Resource))] : [];

    /// <summary>Throws the remembered <see cref="GitHubRateLimitedException"/> while the credential is blocked.</summary>
    public void ThrowIfBlocked(string credential, string operation)
    {
        lock (_gate)
        {
            if (_blocks.TryGetValue(credential, out var block) && time.GetUtcNow() < block.RetryAt)
            {
                throw new GitHubRateLimitedException(
                    $"GitHub is rate-limiting this credential until {Format(block.RetryAt)}; not sending the request to {operation}.",
                    block.Status,
                    block.RetryAt,
                    block.Secondary);
            }
        }
    }

    public void Observe(RateLimitStatus status)
    {
        lock (_gate)
        {
            _last = status;
        }
    }

    /// <summary>A non-rate-limited answer: repeated secondary limits start over.</summary>
    public void Succeeded(string credential)
    {
        lock (_gate)
        {
            if (_blocks.TryGetValue(credential, out var block) && time.GetUtcNow() >= block.RetryAt)
            {
                _blocks.Remove(credential);
            }
        }
    }

    /// <summary>
    /// Records a rate-limit answer and returns the exception to throw. RetryAt: <c>retry-after</c> seconds, else
    /// <c>x-ratelimit-reset</c> when remaining is 0, else now + 60 s; secondary limits without <c>retry-after</c> that
    /// repeat back off exponentially (60 s, 120 s, 240 s, ... up to an hour).
    /// </summary>
    public GitHubRateLimitedException Blocked(string credential, HttpStatusCode status, TimeSpan? retryAfter, int? remaining, DateTimeOffset? reset, bool secondary, string operation)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var repeats = _blocks.TryGetValue(credential, out var previous) && previous.Secondary && secondary ? previous.Repeats + 1 : 0;
            DateTimeOffset retryAt;
            if (retryAfter is { } wait)
            {
                retryAt = now + wait;
            }
            else if (remaining == 0 && reset is { } resetAt && resetAt > now)
            {
                retryAt = resetAt;
            }
            else
            {
                var backoff = secondary ? TimeSpan.FromTicks(DefaultWait.Ticks * (1L << Math.Min(repeats, 10))) : DefaultWait;
                retryAt = now + (backoff > MaxBackoff ? MaxBackoff : backoff);
            }

            _blocks[credential] = new Block(retryAt, status, secondary, repeats);
            var kind = secondary ? "a secondary rate limit" : "the primary rate limit";
            return new GitHubRateLimitedException(
                $"GitHub answered {(int)status} ({kind}) when asked to {operation}; retry at {Format(retryAt)}.", status, retryAt, secondary);
        }
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record Block(DateTimeOffset RetryAt, HttpStatusCode Status, bool Secondary, int Repeats);
}
