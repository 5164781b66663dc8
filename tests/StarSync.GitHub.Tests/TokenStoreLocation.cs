using System.Security.Cryptography;

namespace StarSync.GitHub.Tests;

/// <summary>A private directory for a user token store and the StarSync:SecretKey it is encrypted with; deleted on dispose.</summary>
internal sealed class TokenStoreLocation : IDisposable
{
    public TokenStoreLocation()
    {
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "starsync-token-store-" + Guid.NewGuid().ToString("N"));

    public string FilePath => Path.Combine(Directory, "github-user-token.json");

    public string SecretKey { get; } = NewKey();

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
