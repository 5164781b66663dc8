namespace StarSync.GitWorker.Cache;

/// <summary>Exclusive use of one cache repository until disposed (see <see cref="MirrorCache"/>).</summary>
internal sealed class CacheLease(string directory, FileStream lockFile, Action release) : IDisposable
{
    private bool _disposed;

    /// <summary>The bare repository's directory.</summary>
    public string Directory { get; } = directory;

    /// <summary>Deletes the repository (a corrupt cache); the lock stays held, so the caller can rebuild it.</summary>
    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        lockFile.Dispose();
        release();
    }
}
