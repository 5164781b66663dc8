using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Tests;

public sealed class GitTransferSizeTests
{
    [Theory]
    [InlineData("Receiving objects: 100% (120/120), 1.50 MiB | 3.00 MiB/s, done.", 1572864L)]
    [InlineData("Writing objects: 100% (3/3), 226 bytes | 226.00 KiB/s, done.", 226L)]
    [InlineData("Receiving objects: 100% (9/9), 12.25 KiB | 1.00 MiB/s, done.", 12544L)]
    [InlineData("Receiving objects: 100% (70000/70000), 2.00 GiB | 50.00 MiB/s, done.", 2147483648L)]
    public void ProgressWithASize_IsThatSizeInBytes(string stderr, long bytes) =>
        Assert.Equal(bytes, GitTransferSize.Parse(stderr));

    [Fact]
    public void RepeatedProgress_TheLastReportCounts()
    {
        var stderr = "Receiving objects:  40% (40/100), 1.00 MiB | 1.00 MiB/s\rReceiving objects:  90% (90/100), 3.00 MiB | 1.00 MiB/s\r"
                     + "Receiving objects: 100% (100/100), 3.50 MiB | 1.00 MiB/s, done.\nResolving deltas: 100% (10/10), done.\n";

        Assert.Equal(3670016L, GitTransferSize.Parse(stderr));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Receiving objects: 100% (3/3), done.")]
    [InlineData("Everything up-to-date")]
    [InlineData("Counting objects: 100% (5/5), 1.00 KiB")]
    public void NoSizeReported_IsNull(string stderr) => Assert.Null(GitTransferSize.Parse(stderr));
}
