namespace StarSync.GitWorker.Tests;

public sealed class ArchiveRefTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));

    [Theory]
    [InlineData("refs/heads/main", "refs/starsync/archive/heads/main/20260304T030607Z-0123456789ab")]
    [InlineData("refs/heads/feature/x", "refs/starsync/archive/heads/feature/x/20260304T030607Z-0123456789ab")]
    [InlineData("refs/tags/v1.0", "refs/starsync/archive/tags/v1.0/20260304T030607Z-0123456789ab")]
    public void For_UsesUtcTimestampAndTwelveCharacterSha(string refName, string expected)
    {
        Assert.Equal(expected, ArchiveRef.For(refName, "0123456789abcdef0123456789abcdef01234567", At));
    }

    [Fact]
    public void For_OtherNamespaces_Throws()
    {
        Assert.Throws<ArgumentException>(() => ArchiveRef.For("refs/pull/1/head", "0123456789abcdef", At));
    }
}
