using StarSync.Testing;

namespace StarSync.Testing.Tests;

public sealed class EventuallyTests
{
    [Fact]
    public async Task Until_ConditionBecomesTrue_Returns()
    {
        var calls = 0;

        await Eventually.UntilAsync(() => ++calls >= 3, TimeSpan.FromSeconds(5), "three calls", TestContext.Current.CancellationToken);

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Until_ConditionNeverTrue_ThrowsTimeoutNamingDescription()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.UntilAsync(
            () => Task.FromResult(false), TimeSpan.FromMilliseconds(300), "pigs fly", TestContext.Current.CancellationToken));

        Assert.Contains("pigs fly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Until_ConditionKeepsThrowing_ThrowsTimeoutWithLastError()
    {
        Func<bool> failing = () => throw new InvalidOperationException("not ready");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Eventually.UntilAsync(
            failing, TimeSpan.FromMilliseconds(300), "ready", TestContext.Current.CancellationToken));

        Assert.IsType<InvalidOperationException>(error.InnerException);
    }
}
