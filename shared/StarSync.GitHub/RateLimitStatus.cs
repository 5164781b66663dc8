using System.Globalization;
using System.Net.Http.Headers;

namespace StarSync.GitHub;

/// <summary>The <c>x-ratelimit-*</c> headers of GitHub's latest answer.</summary>
public sealed record RateLimitStatus(int Limit, int Remaining, int Used, DateTimeOffset Reset, string Resource, DateTimeOffset ObservedAt)
{
    /// <summary>The status an answer's headers state, or null when it has no <c>x-ratelimit-remaining</c>/<c>-reset</c>.</summary>
    internal static RateLimitStatus? Read(HttpResponseHeaders headers, DateTimeOffset observedAt)
    {
        string? Header(string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        static int? Int(string? value) => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        var remaining = Int(Header("x-ratelimit-remaining"));
        if (remaining is null || !long.TryParse(Header("x-ratelimit-reset"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
        {
            return null;
        }

        var limit = Int(Header("x-ratelimit-limit")) ?? 0;
        var used = Int(Header("x-ratelimit-used")) ?? Math.Max(0, limit - remaining.Value);
        return new RateLimitStatus(limit, remaining.Value, used, DateTimeOffset.FromUnixTimeSeconds(reset), Header("x-ratelimit-resource") ?? "core", observedAt);
    }
}
