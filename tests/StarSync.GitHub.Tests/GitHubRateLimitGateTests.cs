using Microsoft.Extensions.Time.Testing;
using System.Net;

namespace StarSync.GitHub.Tests;

public sealed class GitHubRateLimitGateTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Blocked_RetryAfter_WinsOverReset()
    {
        var gate = new GitHubRateLimitGate(new FakeTimeProvider(Start));

        var e = gate.Blocked("user", HttpStatusCode.Forbidden, TimeSpan.FromSeconds(30), 0, Start.AddHours(1), secondary: false, "op");

        Assert.Equal(Start.AddSeconds(30), e.RetryAt);
    }

    [Fact]
    public void Blocked_NoHints_WaitsOneMinute()
    {
        var gate = new GitHubRateLimitGate(new FakeTimeProvider(Start));

        var e = gate.Blocked("user", HttpStatusCode.Forbidden, null, 12, null, secondary: false, "op");

        Assert.Equal(Start.AddMinutes(1), e.RetryAt);
    }

    [Fact]
    public void Blocked_RepeatedSecondaryWithoutRetryAfter_BacksOffExponentially()
    {
        var time = new FakeTimeProvider(Start);
        var gate = new GitHubRateLimitGate(time);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var e = gate.Blocked("user", HttpStatusCode.Forbidden, null, 100, null, secondary: true, "op");
            waits.Add(e.RetryAt - time.GetUtcNow());
            time.Advance(e.RetryAt - time.GetUtcNow());
        }

        Assert.Equal([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8)], waits);
    }

    [Fact]
    public void ThrowIfBlocked_BeforeAndAfterRetryAt_ThrowsThenPasses()
    {
        var time = new FakeTimeProvider(Start);
        var gate = new GitHubRateLimitGate(time);
        gate.Blocked("installation", HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(10), null, null, secondary: true, "op");

        var e = Assert.Throws<GitHubRateLimitedException>(() => gate.ThrowIfBlocked("installation", "read"));
        gate.ThrowIfBlocked("user", "read"); // other credentials are not blocked
        time.Advance(TimeSpan.FromSeconds(10));
        gate.ThrowIfBlocked("installation", "read");

        Assert.Equal(Start.AddSeconds(10), e.RetryAt);
        Assert.True(e.IsTransient);
    }
}
