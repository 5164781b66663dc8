namespace StarSync.Testing;

/// <summary>
/// A fresh directory under <c>$TMPDIR/starsync-tests</c>, deleted with everything in it (read-only git objects
/// included) on <see cref="Dispose"/>.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "tmp")
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "starsync-tests");
        Directory.CreateDirectory(root);
        Path = System.IO.Path.Combine(root, $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Returns the path of a new (created) subdirectory.</summary>
    public string CreateSubdirectory(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public override string ToString() => Path;

    public void Dispose() => Delete(Path);

    internal static void Delete(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Read-only files (git objects) or directories: make everything writable and try once more.
            foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                entry.Attributes &= ~FileAttributes.ReadOnly;
                if (!OperatingSystem.IsWindows() && entry is DirectoryInfo)
                {
                    entry.UnixFileMode |= UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
                }
            }
            Directory.Delete(path, recursive: true);
        }
    }
}
