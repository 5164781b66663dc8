namespace StarSync.GitWorker.Tests;

public sealed class DiskSpaceTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Fact]
    public void Needed_IsTwiceTheSizePlusTheReserve()
    {
        Assert.Equal(2 * 1024 * 1024 + GiB, DiskSpace.Needed(sizeKb: 1024, minimumFreeBytes: GiB));
    }

    [Fact]
    public void EnoughSpace_HasNoShortage()
    {
        Assert.Null(DiskSpace.Shortage("octo/x", sizeKb: 1024 * 1024, minimumFreeBytes: GiB, availableBytes: 3 * GiB, "/cache"));
    }

    [Fact]
    public void TooLittleSpace_NamesNeededAndAvailable()
    {
        var reason = DiskSpace.Shortage("octo/x", sizeKb: 1024 * 1024, minimumFreeBytes: GiB, availableBytes: 2 * GiB, "/cache");

        Assert.Equal(
            "not enough free disk space to mirror octo/x: needs 3 GiB (3221225472 bytes) (2 × 1 GiB (1073741824 bytes) repository size + " +
            "1 GiB (1073741824 bytes) reserve), but only 2 GiB (2147483648 bytes) is available on the cache volume (/cache)",
            reason);
    }

    [Fact]
    public void AbsurdSizes_Saturate_InsteadOfOverflowing()
    {
        Assert.Equal(long.MaxValue, DiskSpace.Needed(long.MaxValue, long.MaxValue));
    }
}
