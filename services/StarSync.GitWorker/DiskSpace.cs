using System.Globalization;

namespace StarSync.GitWorker;

/// <summary>
/// Whether the cache volume can take a fetch: free space must be at least twice the repository's size (pack plus
/// index and temporary files) plus <see cref="GitWorkerOptions.MinimumFreeDiskBytes"/>.
/// </summary>
internal static class DiskSpace
{
    /// <summary>Bytes needed for a repository of <paramref name="sizeKb"/> KB with <paramref name="minimumFreeBytes"/> kept free.</summary>
    public static long Needed(long sizeKb, long minimumFreeBytes)
    {
        var size = Math.Max(0, sizeKb);
        // Saturate instead of overflowing for absurd sizes or reserves.
        var twice = size > long.MaxValue / 2048 ? long.MaxValue : size * 2048;
        return twice > long.MaxValue - minimumFreeBytes ? long.MaxValue : twice + minimumFreeBytes;
    }

    /// <summary>Null when there is room; otherwise a readable reason naming the needed and the available space.</summary>
    public static string? Shortage(string repository, long sizeKb, long minimumFreeBytes, long availableBytes, string volume)
    {
        var needed = Needed(sizeKb, minimumFreeBytes);
        if (availableBytes >= needed)
        {
            return null;
        }
        return $"not enough free disk space to mirror {repository}: needs {Format(needed)} " +
            $"(2 × {Format(Math.Max(0, sizeKb) * 1024)} repository size + {Format(minimumFreeBytes)} reserve), " +
            $"but only {Format(availableBytes)} is available on the cache volume ({volume})";
    }

    /// <summary>Free bytes for an unprivileged writer on the volume holding <paramref name="directory"/>.</summary>
    public static long AvailableBytes(string directory) => new DriveInfo(directory).AvailableFreeSpace;

    internal static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB ({bytes} bytes)"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.##} MiB ({bytes} bytes)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
