using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator.Tests.Watchdog;

public sealed class StalledEndpointDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private static EndpointHealth Up(string name) => new(name, true, "ready");
    private static EndpointHealth Down(string name) => new(name, false, "not ready");

    [Fact]
    public void AnEndpointDownWhileAnotherConsumes_IsStalledOnceTheTimeoutHasRun()
    {
        var detector = new StalledEndpointDetector(Timeout);

        Assert.Empty(detector.Observe([Up("a"), Down("b")], Start));
        Assert.Empty(detector.Observe([Up("a"), Down("b")], Start + Timeout - TimeSpan.FromSeconds(1)));
        var stalled = Assert.Single(detector.Observe([Up("a"), Down("b")], Start + Timeout));

        Assert.Equal("b", stalled.Name);
        Assert.Equal(Timeout, stalled.For);
        Assert.Equal("not ready", stalled.Description);
    }

    [Fact]
    public void EveryEndpointDown_IsABrokerOutage_AndNeverStalls()
    {
        var detector = new StalledEndpointDetector(Timeout);

        for (var minutes = 0; minutes <= 30; minutes++)
        {
            Assert.Empty(detector.Observe([Down("a"), Down("b")], Start + TimeSpan.FromMinutes(minutes)));
        }
    }

    [Fact]
    public void AnOutage_StartsTheClockAgain()
    {
        var detector = new StalledEndpointDetector(Timeout);

        detector.Observe([Up("a"), Down("b")], Start);
        detector.Observe([Down("a"), Down("b")], Start + TimeSpan.FromMinutes(1));
        // The broker is back for "a" at minute 2; "b" has been down beside a healthy endpoint only since then.
        Assert.Empty(detector.Observe([Up("a"), Down("b")], Start + TimeSpan.FromMinutes(2)));
        Assert.Empty(detector.Observe([Up("a"), Down("b")], Start + TimeSpan.FromMinutes(3)));
        Assert.Single(detector.Observe([Up("a"), Down("b")], Start + TimeSpan.FromMinutes(4)));
    }

    [Fact]
    public void AnEndpointThatRecovers_StartsFromNothingWhenItFallsAgain()
    {
        var detector = new StalledEndpointDetector(Timeout);

        detector.Observe([Up("a"), Down("b")], Start);
        detector.Observe([Up("a"), Up("b")], Start + TimeSpan.FromSeconds(90));
        Assert.Empty(detector.Observe([Up("a"), Down("b")], Start + TimeSpan.FromSeconds(100)));
        Assert.Empty(detector.Observe([Up("a"), Down("b")], Start + TimeSpan.FromSeconds(200)));
        Assert.Single(detector.Observe([Up("a"), Down("b")], Start + TimeSpan.FromSeconds(220)));
    }

    [Fact]
    public void AnEndpointThatLeavesAndComesBack_StartsFromNothing()
    {
        var detector = new StalledEndpointDetector(Timeout);

        detector.Observe([Up("a"), Down("b")], Start);
        detector.Observe([Up("a")], Start + TimeSpan.FromMinutes(1));

        Assert.Empty(detector.Observe([Up("a"), Down("b")], Start + TimeSpan.FromMinutes(2)));
    }

    [Fact]
    public void ASingleEndpoint_HasNoWitness_AndNeverStalls()
    {
        var detector = new StalledEndpointDetector(Timeout);

        Assert.Empty(detector.Observe([Down("a")], Start));
        Assert.Empty(detector.Observe([Down("a")], Start + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void ATimeoutOfZero_IsRefused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new StalledEndpointDetector(TimeSpan.Zero));
        Assert.Contains("must be positive", error.Message);
    }
}
