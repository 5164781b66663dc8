using System.Diagnostics;

namespace StarSync.GitHub.Tests;

/// <summary>
/// Makes a directory refuse new files until disposed: mode 500 for a normal user; for root, whom modes do not stop,
/// the immutable attribute (<c>chattr +i</c>). Throws when neither works, so a test that needs it fails rather than
/// passing without the fault.
/// </summary>
internal sealed class ReadOnlyDirectory : IDisposable
{
    private readonly string _path;
    private readonly bool _immutable;

    private ReadOnlyDirectory(string path, bool immutable)
    {
        _path = path;
        _immutable = immutable;
    }

    public static ReadOnlyDirectory Make(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("ReadOnlyDirectory needs POSIX permissions.");
        }

        var root = Environment.UserName == "root";
        if (root)
        {
            Chattr("+i", path);
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        var probe = Path.Combine(path, "probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            File.WriteAllText(probe, "");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ReadOnlyDirectory(path, root);
        }

        File.Delete(probe);
        throw new InvalidOperationException($"{path} still takes new files after being made read-only.");
    }

    public void Dispose()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (_immutable)
        {
            Chattr("-i", _path);
        }
        else
        {
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void Chattr(string change, string path)
    {
        var start = new ProcessStartInfo("chattr") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(change);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"chattr {change} {path} failed: {error}");
        }
    }
}
