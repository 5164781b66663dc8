using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

using Microsoft.AspNetCore.WebUtilities;

using Octokit;

namespace StarSync.GitHub;

/// <summary>
/// Reads Octokit's exceptions as StarSync's: rate limits (Octokit maps a 403's text to
/// <see cref="RateLimitExceededException"/>/<see cref="SecondaryRateLimitExceededException"/> but leaves a 429 a plain
/// <see cref="ApiException"/>), other answers, and failures to reach GitHub. Messages name the operation and GitHub's
/// <c>message</c>, never a token. Octokit's exception is not kept as the inner exception: its <c>ToString()</c> prints
/// the whole response body.
/// </summary>
internal static class GitHubFailure
{
    private const int MaxMessage = 300;

    /// <summary>
    /// GitHub's documented rule: a 429 is always a rate limit; a 403 is one when <c>x-ratelimit-remaining</c> is 0,
    /// <c>retry-after</c> is present, or its message names a (secondary) rate limit; otherwise it is a permission error.
    /// <paramref name="retryAfter"/> is <c>retry-after</c> (seconds or a date, on <paramref name="now"/>'s clock).
    /// </summary>
    public static bool IsRateLimit(ApiException e, RateLimitStatus? rate, DateTimeOffset now, out TimeSpan? retryAfter, out bool secondary)
    {
        retryAfter = null;
        secondary = false;
        if (e.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return false;
        }

        if (Header(e.HttpResponse, "Retry-After") is { } text && RetryConditionHeaderValue.TryParse(text, out var header))
        {
            retryAfter = header.Delta ?? (header.Date is { } date ? date - now : null);
            if (retryAfter < TimeSpan.Zero)
            {
                retryAfter = TimeSpan.Zero;
            }
        }

        var message = MessageOf(e);
        var namesSecondary = e is SecondaryRateLimitExceededException or AbuseException
            || message.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
            || message.Contains("abuse", StringComparison.OrdinalIgnoreCase);
        var primary = e is RateLimitExceededException || rate?.Remaining == 0 || message.Contains("rate limit exceeded", StringComparison.OrdinalIgnoreCase);
        secondary = namesSecondary || (!primary && (retryAfter is not null || e.StatusCode == HttpStatusCode.TooManyRequests));
        return primary || secondary || retryAfter is not null;
    }

    /// <summary>A non-rate-limit answer: transient for 5xx, 408 and 429; the hint names the usual cause of a 401/403.</summary>
    public static GitHubException Answer(ApiException e, string operation, bool withMessage = true)
    {
        var code = (int)e.StatusCode;
        var hint = e.StatusCode switch
        {
            HttpStatusCode.Unauthorized => " (bad or expired credentials)",
            HttpStatusCode.Forbidden => " (the token lacks a permission)",
            _ => string.Empty,
        };
        var transient = code >= 500 || e.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
        var text = $"GitHub answered {code} {ReasonPhrases.GetReasonPhrase(code)}{hint} when asked to {operation}";
        return new GitHubException(withMessage ? $"{text}: {MessageOf(e)}" : text + ".", e.StatusCode, transient);
    }

    /// <summary>
    /// Network errors and timeouts (transient); Octokit reading an answer it cannot use (permanent). Null for what is not
    /// a failure to wrap: the caller's cancellation and StarSync's own exceptions.
    /// </summary>
    public static GitHubException? Other(Exception e, string operation, CancellationToken ct) => e switch
    {
        GitHubException or ApiException => null,
        OperationCanceledException when ct.IsCancellationRequested => null,
        OperationCanceledException => new GitHubException($"GitHub did not answer in time when asked to {operation}.", null, isTransient: true, e),
        HttpRequestException => new GitHubException($"Could not reach GitHub to {operation}: {e.Message}", null, isTransient: true, e),
        _ => new GitHubException($"GitHub answered with something StarSync cannot read when asked to {operation}.", HttpStatusCode.OK, isTransient: false, e),
    };

    /// <summary>GitHub's <c>message</c> (or the start of a non-JSON body), bounded.</summary>
    public static string MessageOf(ApiException e)
    {
        var message = e.ApiError?.Message;
        if (string.IsNullOrWhiteSpace(message))
        {
            message = e.HttpResponse?.Body as string;
            if (string.IsNullOrWhiteSpace(message) || IsJson(message))
            {
                return "(no message)";
            }
        }

        return message.Length <= MaxMessage ? message : message[..MaxMessage] + "...";
    }

    private static bool IsJson(string body)
    {
        try
        {
            using var _ = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Header(IResponse? response, string name) =>
        response?.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
