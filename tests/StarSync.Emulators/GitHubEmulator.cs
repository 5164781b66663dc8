using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

/// <summary>
/// An in-process GitHub in GitHub Enterprise Server layout (REST under <c>/api/v3/</c>, git at
/// <c>/{owner}/{repo}.git</c>) following GitHub's documented REST and git behaviour: repositories by name and id, renames with 301s,
/// the authenticated user's stars with Link pagination, ETags and 304s, primary and secondary rate limits, and
/// read-only git smart HTTP (upload-pack) served by <c>git http-backend</c>.
/// </summary>
public sealed partial class GitHubEmulator : IAsyncDisposable
{
    /// <summary>The user that owns <see cref="Token"/>.</summary>
    public const string UserLogin = "octocat";

    private const long UserId = 1;
    private const int AuthenticatedLimit = 5000;
    private const int AnonymousLimit = 60;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<long, EmulatedRepository> _repositories = [];
    private readonly Dictionary<string, long> _redirects = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _owners = new(StringComparer.OrdinalIgnoreCase) { [UserLogin] = UserId };
    private readonly Dictionary<long, (DateTimeOffset At, long Sequence)> _stars = [];
    private readonly Dictionary<long, int> _uploadPacks = [];
    private readonly Dictionary<long, long> _uploadPackBytes = [];
    private readonly GitLfsStore _lfs;
    private readonly Dictionary<string, RateBudget> _budgets = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _root;
    private WebApplication? _app;
    private long _nextRepositoryId = 1296269;
    private long _nextOwnerId = 100;
    private long _starSequence;
    private int _restRequestCount;
    private DateTimeOffset? _exhaustedUntil;
    private int _exhaustedStatus;
    private int? _exhaustedRetryAfter;
    private int _secondaryCount;
    private int? _secondaryRetryAfter;
    private int _secondaryStatus;
    private int _failGitCount;
    private int _failGitStatus;
    private int _failFetchCount;
    private string _failFetchMessage = "";

    private GitHubEmulator(TimeProvider time)
    {
        _time = time;
        _root = Path.Combine(Path.GetTempPath(), "github-emulator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        _lfs = new GitLfsStore(Path.Combine(_root, "lfs"), allowUpload: false);
        Token = "ghp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
    }

    /// <summary>Root URL (ends with '/'); git lives at <c>{BaseUrl}{owner}/{repo}.git</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary><c>{BaseUrl}api/v3/</c>, the REST root as on GitHub Enterprise Server.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>A valid personal access token of <see cref="UserLogin"/>.</summary>
    public string Token { get; }

    /// <summary>All REST requests received, including ones answered 304, 401 or with a rate-limit error.</summary>
    public int RestRequestCount => Volatile.Read(ref _restRequestCount);

    /// <summary>Snapshot of the repositories that exist.</summary>
    public IReadOnlyList<EmulatedRepository> Repositories
    {
        get
        {
            lock (_gate)
            {
                return [.. _repositories.Values.OrderBy(r => r.Id)];
            }
        }
    }

    public static Task<GitHubEmulator> StartAsync(CancellationToken ct = default) => StartAsync(TimeProvider.System, ct);

    /// <summary>Starts an emulator whose clock (star dates, rate-limit windows and resets) is <paramref name="timeProvider"/>.</summary>
    public static async Task<GitHubEmulator> StartAsync(TimeProvider timeProvider, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var emulator = new GitHubEmulator(timeProvider);
        try
        {
            var (app, baseUrl) = await EmulatorHost.StartAsync(emulator.HandleAsync, ct);
            emulator._app = app;
            emulator.BaseUrl = baseUrl;
            emulator.ApiUrl = new Uri(baseUrl, "api/v3/");
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty bare repository whose HEAD points at <paramref name="defaultBranch"/>.</summary>
    public EmulatedRepository CreateRepository(string owner, string name, bool isPrivate = false, string defaultBranch = "main")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_gate)
        {
            if (FindLocked(owner + "/" + name, followRedirects: false) is not null)
            {
                throw new InvalidOperationException($"Repository {owner}/{name} already exists");
            }

            var id = _nextRepositoryId++;
            var directory = Path.Combine(_root, id.ToString(CultureInfo.InvariantCulture) + ".git");
            GitCommand.InitBare(directory, defaultBranch);
            var repository = new EmulatedRepository(this, id, owner, OwnerIdLocked(owner), name, isPrivate, defaultBranch, directory, _time.GetUtcNow());
            _repositories[id] = repository;
            _redirects.Remove(repository.FullName); // reusing a name breaks the old redirect, as on GitHub
            return repository;
        }
    }

    /// <summary>The repository with this id (throws when it does not exist).</summary>
    public EmulatedRepository Repository(long id)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(id, out var repository) ? repository : throw new KeyNotFoundException("No repository " + id);
        }
    }

    /// <summary>Renames or transfers a repository. The old API path answers 301 and the old git URL keeps working.</summary>
    public void RenameRepository(long id, string newOwner, string newName)
    {
        lock (_gate)
        {
            var repository = Repository(id);
            _redirects[repository.FullName] = id;
            repository.Owner = newOwner;
            repository.OwnerId = OwnerIdLocked(newOwner);
            repository.Name = newName;
            repository.UpdatedAt = _time.GetUtcNow();
            _redirects.Remove(repository.FullName);
        }
    }

    /// <summary>Deletes a repository, its stars and redirects to it.</summary>
    public void DeleteRepository(long id)
    {
        string directory;
        lock (_gate)
        {
            directory = Repository(id).BareDirectory;
            _repositories.Remove(id);
            _stars.Remove(id);
            foreach (var alias in _redirects.Where(r => r.Value == id).Select(r => r.Key).ToList())
            {
                _redirects.Remove(alias);
            }
        }

        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Points HEAD (and <c>default_branch</c>) at another branch, as a rename of the default branch on GitHub.</summary>
    public void SetDefaultBranch(long id, string branch)
    {
        lock (_gate)
        {
            var repository = Repository(id);
            GitCommand.SetHead(repository.BareDirectory, branch);
            repository.DefaultBranch = branch;
        }
    }

    /// <summary>Makes a repository private or public.</summary>
    public void SetPrivate(long id, bool isPrivate)
    {
        lock (_gate)
        {
            Repository(id).IsPrivate = isPrivate;
        }
    }

    /// <summary>Creates GitHub's read-only pull request ref <c>refs/pull/{number}/head</c> pointing at <paramref name="sha"/>.</summary>
    public void CreatePullRequestRef(long repoId, int number, string sha)
    {
        var repository = Repository(repoId);
        GitCommand.Run(repository.BareDirectory, "update-ref", $"refs/pull/{number.ToString(CultureInfo.InvariantCulture)}/head", sha);
    }

    /// <summary>Stars a repository as <see cref="UserLogin"/> (at <paramref name="at"/>, or now).</summary>
    public void Star(long repoId, DateTimeOffset? at = null)
    {
        lock (_gate)
        {
            var repository = Repository(repoId);
            if (!_stars.ContainsKey(repoId))
            {
                repository.StargazersCount++;
            }

            _stars[repoId] = (at ?? _time.GetUtcNow(), ++_starSequence);
        }
    }

    public void Unstar(long repoId)
    {
        lock (_gate)
        {
            if (_stars.Remove(repoId) && _repositories.TryGetValue(repoId, out var repository))
            {
                repository.StargazersCount--;
            }
        }
    }

    /// <summary>Completed fetch requests (POST git-upload-pack answered 200, not counting protocol v2 ls-refs).</summary>
    public int UploadPackCount(string fullName)
    {
        lock (_gate)
        {
            return FindLocked(fullName, followRedirects: true) is { } repository ? _uploadPacks.GetValueOrDefault(repository.Id) : 0;
        }
    }

    /// <summary>
    /// Bytes git-upload-pack sent for the repository (ref advertisements, ls-refs and packs; HTTP bodies only), so
    /// tests can compare what an incremental fetch costs with a full clone.
    /// </summary>
    public long UploadPackBytes(string fullName)
    {
        lock (_gate)
        {
            return FindLocked(fullName, followRedirects: true) is { } repository ? _uploadPackBytes.GetValueOrDefault(repository.Id) : 0;
        }
    }

    /// <summary>Stores a Git LFS object for the repository (served read-only by the LFS Batch API); returns its oid (SHA-256).</summary>
    public string AddLfsObject(long repoId, byte[] content)
    {
        Repository(repoId);
        return _lfs.Put(GitLfsStore.KeyFor(repoId), content);
    }

    /// <summary>Git LFS objects stored for the repository.</summary>
    public int LfsObjectCount(long repoId) => _lfs.Count(GitLfsStore.KeyFor(repoId));

    /// <summary>
    /// Uses up the primary rate limit of every caller: REST calls answer <paramref name="status"/> (403 or 429) with
    /// <c>x-ratelimit-remaining: 0</c> and <c>x-ratelimit-reset</c> = now + <paramref name="resetIn"/>, until then, and
    /// with <c>retry-after</c> when <paramref name="retryAfterSeconds"/> is given (GitHub may send it with either status).
    /// </summary>
    public void ExhaustRateLimit(TimeSpan resetIn, int status = 403, int? retryAfterSeconds = null)
    {
        lock (_gate)
        {
            _exhaustedUntil = _time.GetUtcNow() + resetIn;
            _exhaustedStatus = status;
            _exhaustedRetryAfter = retryAfterSeconds;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> REST calls hit a secondary rate limit (403 or 429, the secondary-limit message),
    /// with <c>retry-after</c> when <paramref name="retryAfterSeconds"/> is given: GitHub documents that it may be
    /// absent, and that a client should then wait at least a minute, and longer each time the limit repeats.
    /// </summary>
    public void SecondaryRateLimitNext(int count, int? retryAfterSeconds, int status = 403)
    {
        lock (_gate)
        {
            _secondaryCount = count;
            _secondaryRetryAfter = retryAfterSeconds;
            _secondaryStatus = status;
        }
    }

    /// <summary>The next <paramref name="count"/> git HTTP requests answer <paramref name="statusCode"/>.</summary>
    public void FailNextGitRequests(int count, int statusCode = 500)
    {
        lock (_gate)
        {
            _failGitCount = count;
            _failGitStatus = statusCode;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> fetches (upload-pack requests for objects, not ref listings) fail with
    /// <paramref name="message"/> as the server's error (<see cref="GitHttpBackend.ErrorPacketAsync"/>).
    /// </summary>
    public void FailNextFetches(int count, string message)
    {
        lock (_gate)
        {
            _failFetchCount = count;
            _failFetchMessage = message;
        }
    }

    /// <summary>Takes one injected fetch failure, if any is left.</summary>
    private string? TakeFetchFault()
    {
        lock (_gate)
        {
            if (_failFetchCount <= 0)
            {
                return null;
            }
            _failFetchCount--;
            return _failFetchMessage;
        }
    }

    public async ValueTask DisposeAsync() => await EmulatorHost.StopAsync(_app, _stopping, _root);

    internal static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static JsonObject UserJson(GitHubEmulator emulator, string login, long id) => new()
    {
        ["login"] = login,
        ["id"] = id,
        ["node_id"] = "U_" + id.ToString(CultureInfo.InvariantCulture),
        ["avatar_url"] = new Uri(emulator.BaseUrl, "avatars/" + login).ToString(),
        ["url"] = emulator.ApiUrl + "users/" + login,
        ["html_url"] = new Uri(emulator.BaseUrl, login).ToString(),
        ["type"] = "User",
        ["site_admin"] = false,
    };

    private Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.Equals("/login/oauth/access_token", StringComparison.Ordinal))
        {
            return HandleOAuthTokenAsync(http);
        }

        return path.StartsWith("/api/v3/", StringComparison.Ordinal) ? HandleRestAsync(http, path["/api/v3/".Length..]) : HandleGitAsync(http, path);
    }

    // Expects _gate to be held.
    private EmulatedRepository? FindLocked(string fullName, bool followRedirects)
    {
        var current = _repositories.Values.FirstOrDefault(r => string.Equals(r.FullName, fullName, StringComparison.OrdinalIgnoreCase));
        if (current is not null || !followRedirects)
        {
            return current;
        }

        return _redirects.TryGetValue(fullName, out var id) ? _repositories.GetValueOrDefault(id) : null;
    }

    private long OwnerIdLocked(string owner)
    {
        if (!_owners.TryGetValue(owner, out var id))
        {
            id = _nextOwnerId++;
            _owners[owner] = id;
        }

        return id;
    }

    private sealed class RateBudget
    {
        public int Used { get; set; }

        public DateTimeOffset Reset { get; set; }
    }
}
