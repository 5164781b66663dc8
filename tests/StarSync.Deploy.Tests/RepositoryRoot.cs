namespace StarSync.Deploy.Tests;

/// <summary>The repository checkout the tests run from (the directory holding StarSync.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public static string ReadText(string relativePath) => System.IO.File.ReadAllText(File(relativePath));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "StarSync.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No StarSync.sln above {AppContext.BaseDirectory}.");
    }
}
