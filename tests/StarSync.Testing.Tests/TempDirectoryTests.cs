using StarSync.Testing;

namespace StarSync.Testing.Tests;

public sealed class TempDirectoryTests
{
    [Fact]
    public void Dispose_WithReadOnlyFiles_DeletesEverything()
    {
        var directory = new TempDirectory("readonly");
        var nested = directory.CreateSubdirectory("objects/ab");
        var file = Path.Combine(nested, "cdef");
        File.WriteAllText(file, "x");
        File.SetAttributes(file, FileAttributes.ReadOnly);

        directory.Dispose();

        Assert.False(Directory.Exists(directory.Path));
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "starsync-tests"), directory.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void FreePort_Next_ReturnsBindablePort()
    {
        var port = FreePort.Next();

        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
        Assert.InRange(port, 1024, 65535);
    }
}
