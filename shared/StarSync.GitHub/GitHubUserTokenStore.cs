using System.Diagnostics;
using System.Text;
using System.Text.Json;

using StarSync.Secrets;

namespace StarSync.GitHub;

/// <summary>
/// The owner's rotated user token pair in one file (<c>GitHub:UserTokenStorePath</c>), so that a restart or a second
/// replica never spends a refresh token that was already used. The file is JSON naming its format, around one
/// AES-GCM ciphertext (<see cref="SecretBox"/>, key derived from <c>StarSync:SecretKey</c>): no token is in it in plain
/// text. Writes go to a temporary file in the same directory (mode 600), flushed to disk, then renamed over the old one,
/// so a reader never sees half a file. <see cref="LockAsync"/> takes an exclusive lock on a sibling <c>.lock</c> file,
/// held around refresh-and-write, so that two owner processes never spend the same refresh token.
/// </summary>
internal sealed class GitHubUserTokenStore
{
    public const string Purpose = "GitHub user token store";

    /// <summary>How long <see cref="LockAsync"/> waits for another process: a refresh is one HTTP call.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(60);

    private const string Format = "starsync-github-user-token";
    private const int Version = 1;
    private const string AssociatedData = "starsync github-user-token-store v1";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SecretBox _box;

    public GitHubUserTokenStore(string path, SecretBox box)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = System.IO.Path.GetFullPath(path);
        _box = box;
    }

    public string FilePath { get; }

    public string LockPath => FilePath + ".lock";

    /// <summary>The keyed fingerprint of a refresh token (see <see cref="UserTokenState.Origin"/>).</summary>
    public string Fingerprint(string refreshToken) => _box.Fingerprint(refreshToken);

    /// <summary>The stored pair, or null when there is no file yet.</summary>
    public UserTokenState? Read()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(FilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GitHubTokenStoreException($"The GitHub user token store {FilePath} could not be read: {e.Message}", e);
        }

        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(bytes, Json);
        }
        catch (JsonException e)
        {
            throw NotAStore("it is not JSON", e);
        }

        if (envelope is not { Format: Format, Version: Version, Sealed: { Length: > 0 } sealedText })
        {
            throw NotAStore("its format is not " + Format + " version " + Version, null);
        }

        byte[] plaintext = [];
        try
        {
            plaintext = _box.Open(Convert.FromBase64String(sealedText), Encoding.UTF8.GetBytes(AssociatedData));
            var payload = JsonSerializer.Deserialize<Payload>(plaintext, Json);
            if (payload is not { AccessToken.Length: > 0, Origin.Length: > 0, Generation: >= 0 })
            {
                throw NotAStore("it holds no complete token pair", null);
            }

            return new UserTokenState(payload.AccessToken, payload.ExpiresAt, payload.RefreshToken, payload.Origin, payload.Generation);
        }
        catch (SecretBoxException e)
        {
            throw new GitHubTokenStoreException(
                $"{e.Message} File: {FilePath}. Start with the key that wrote it, or delete the file and configure a new user "
                + "authorization (GitHub:UserAccessToken and GitHub:UserRefreshToken).", e);
        }
        catch (FormatException e)
        {
            throw NotAStore("its ciphertext is not base64", e);
        }
        catch (JsonException e)
        {
            throw NotAStore("its decrypted content is not JSON", e);
        }
        finally
        {
            Array.Clear(plaintext);
        }
    }

    /// <summary>Replaces the stored pair (atomically: readers see the old file or the new one).</summary>
    public void Write(UserTokenState state)
    {
        var directory = System.IO.Path.GetDirectoryName(FilePath)!;
        var temporary = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(FilePath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        var payload = JsonSerializer.SerializeToUtf8Bytes(
            new Payload(state.AccessToken, state.ExpiresAt, state.RefreshToken, state.Origin, state.Generation, DateTimeOffset.UtcNow), Json);
        try
        {
            var envelope = new Envelope(Format, Version, Convert.ToBase64String(_box.Seal(payload, Encoding.UTF8.GetBytes(AssociatedData))));
            Directory.CreateDirectory(directory);
            using (var file = new FileStream(temporary, OwnerOnly(FileMode.CreateNew, FileAccess.Write)))
            {
                JsonSerializer.Serialize(file, envelope, Json);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new GitHubTokenStoreException($"The GitHub user token store {FilePath} could not be written: {e.Message}", e);
        }
        finally
        {
            Array.Clear(payload);
        }
    }

    /// <summary>
    /// An exclusive lock on <see cref="LockPath"/> (released when disposed), shared with every process that opens the
    /// same file on this machine; waits up to <see cref="LockTimeout"/> for another holder.
    /// </summary>
    public async Task<IDisposable> LockAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(LockPath)!);
        var started = Stopwatch.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock() on Linux: advisory, between open file descriptions, so between
                // processes and between two stores in one process alike.
                return new FileStream(LockPath, OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (IsHeldByAnother(e))
            {
                if (Stopwatch.GetElapsedTime(started) > LockTimeout)
                {
                    throw new GitHubTokenStoreException(
                        $"Another process has held the lock {LockPath} for more than {LockTimeout.TotalSeconds:0} s; the GitHub user token was not refreshed.", e);
                }

                await Task.Delay(pause, ct).ConfigureAwait(false);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 100));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new GitHubTokenStoreException($"The lock {LockPath} of the GitHub user token store could not be taken: {e.Message}", e);
            }
        }
    }

    private static bool IsHeldByAnother(IOException e) =>
        e.HResult is 11 /* EWOULDBLOCK */ or unchecked((int)0x80070020) /* sharing violation */ or unchecked((int)0x80070021) /* lock violation */;

    private static FileStreamOptions OwnerOnly(FileMode mode, FileAccess access, FileShare share = FileShare.None)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file holds only ciphertext.
        }
    }

    private GitHubTokenStoreException NotAStore(string why, Exception? inner)
    {
        var message = $"{FilePath} is not a StarSync GitHub user token store ({why}). Delete it, or point GitHub:UserTokenStorePath elsewhere.";
        return inner is null ? new GitHubTokenStoreException(message) : new GitHubTokenStoreException(message, inner);
    }

    private sealed record Envelope(string? Format, int Version, string? Sealed);

    private sealed record Payload(string AccessToken, DateTimeOffset? ExpiresAt, string? RefreshToken, string Origin, long Generation, DateTimeOffset SavedAt)
    {
        public override string ToString() => "Payload";
    }
}
