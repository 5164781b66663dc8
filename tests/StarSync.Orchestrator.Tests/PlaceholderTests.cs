namespace StarSync.Orchestrator.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Build_Compiles() => Assert.Equal(2, 1 + 1);
}
