using StarSync.Testing;

namespace StarSync.Testing.Tests;

public sealed class ServiceProcessTests
{
    [Fact]
    public void Start_UnknownProject_ThrowsFileNotFoundNamingTheBuildOutput()
    {
        var error = Assert.Throws<FileNotFoundException>(
            () => ServiceProcess.Start("StarSync.DoesNotExist", new Dictionary<string, string?>()));

        Assert.Contains($"services{Path.DirectorySeparatorChar}StarSync.DoesNotExist{Path.DirectorySeparatorChar}bin", error.Message,
            StringComparison.Ordinal);
    }
}
