using System.Globalization;
using System.Security.Cryptography;
using System.Text;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace StarSync.Emulators;

/// <summary>
/// An in-process OneDev server (target: 12.0.10+ up to 16.5.x) following OneDev's REST API and git-over-HTTP behaviour as read from its source: the <c>/~api</c> REST
/// subset StarSync uses, with OneDev's text/plain errors and status quirks, and git smart HTTP served by
/// <c>git http-backend</c> over real bare repositories. Anonymous access is disabled, as on a private server.
/// </summary>
public sealed partial class OneDevEmulator : IAsyncDisposable
{
    /// <summary>The version string answered by <c>GET /~api/version/server</c>.</summary>
    public const string ServerVersion = "16.5.6";

    /// <summary>The user that owns <see cref="Token"/>.</summary>
    public const string AdminUserName = "admin";

    private readonly Lock _gate = new();
    private readonly Dictionary<long, ProjectEntry> _projects = [];
    private readonly Dictionary<string, TokenEntry> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _receivePacks = [];
    private readonly Dictionary<long, int> _uploadPacks = [];
    private readonly GitLfsStore _lfs;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _root;
    private readonly string _repositoriesRoot;
    private WebApplication? _app;
    private long _nextProjectId = 1;
    private int _totalReceivePacks;
    private int _createProjectCalls;
    private int _failRestCount;
    private int _failRestStatus;
    private int _hangRestCount;
    private TaskCompletionSource? _receivePackGate;
    private int _receivePacksWaiting;
    private int _failGitCount;
    private int _failGitStatus;
    private int _failFetchCount;
    private string _failFetchMessage = "";
    private int _failPushCount;
    private string _failPushMessage = "";

    private OneDevEmulator()
    {
        _root = Path.Combine(Path.GetTempPath(), "onedev-emulator-" + Guid.NewGuid().ToString("N"));
        _repositoriesRoot = Path.Combine(_root, "repositories");
        Directory.CreateDirectory(_repositoriesRoot);
        _lfs = new GitLfsStore(Path.Combine(_root, "lfs"), allowUpload: true);
        Token = AddToken();
    }

    /// <summary>Root URL of the server, ending with '/'. REST lives under <c>~api/</c>, git under <c>{path}.git</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>An access token of <see cref="AdminUserName"/> with "has owner permissions".</summary>
    public string Token { get; }

    /// <summary>Snapshot of all projects, ordered by id.</summary>
    public IReadOnlyList<EmulatedProject> Projects
    {
        get
        {
            lock (_gate)
            {
                return [.. _projects.Values.OrderBy(p => p.Id).Select(Snapshot)];
            }
        }
    }

    /// <summary>Completed pushes (HTTP 200 answers to POST git-receive-pack) across all projects.</summary>
    public int TotalReceivePacks => Volatile.Read(ref _totalReceivePacks);

    /// <summary>Number of <c>POST /~api/projects</c> requests that reached the endpoint (successful or not).</summary>
    public int CreateProjectCalls => Volatile.Read(ref _createProjectCalls);

    public static async Task<OneDevEmulator> StartAsync(CancellationToken ct = default)
    {
        var emulator = new OneDevEmulator();
        try
        {
            var (app, baseUrl) = await EmulatorHost.StartAsync(emulator.HandleAsync, ct);
            emulator._app = app;
            emulator.BaseUrl = baseUrl;
            return emulator;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates another access token of <see cref="AdminUserName"/>.</summary>
    /// <param name="ownerPermissions">
    /// Without owner permissions the token authenticates but has no project roles: it sees no projects, cannot
    /// create root projects (403) and gets 403 on <c>/~api/users/me</c>, as OneDev does.
    /// </param>
    public string AddToken(bool ownerPermissions = true)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        lock (_gate)
        {
            _tokens[token] = new TokenEntry(AdminUserName, ownerPermissions);
        }

        return token;
    }

    /// <summary>Deletes a token; OneDev then answers 401 <c>Invalid account or incorrect credentials</c>.</summary>
    public void RevokeToken(string token)
    {
        lock (_gate)
        {
            _tokens.Remove(token);
        }
    }

    /// <summary>Completed pushes into the project at <paramref name="projectPath"/> (case-insensitive).</summary>
    public int ReceivePackCount(string projectPath) => CountFor(_receivePacks, projectPath);

    /// <summary>
    /// Completed fetch requests (HTTP 200 answers to POST git-upload-pack) from the project. Protocol v2
    /// <c>command=ls-refs</c> requests (ls-remote, ref advertisement) are not counted.
    /// </summary>
    public int UploadPackCount(string projectPath) => CountFor(_uploadPacks, projectPath);

    /// <summary>The bare repository directory of the project at <paramref name="projectPath"/>.</summary>
    public string RepositoryPath(string projectPath)
    {
        lock (_gate)
        {
            var project = FindByPath(projectPath) ?? throw new KeyNotFoundException("No project at " + projectPath);
            return RepositoryDirectory(project.Id);
        }
    }

    /// <summary>The next <paramref name="count"/> REST requests answer <paramref name="statusCode"/> with a text/plain body.</summary>
    public void FailNextRestRequests(int count, int statusCode = 500)
    {
        lock (_gate)
        {
            _failRestCount = count;
            _failRestStatus = statusCode;
        }
    }

    /// <summary>The next <paramref name="count"/> REST requests never answer until the client aborts or the emulator is disposed.</summary>
    public void HangNextRestRequests(int count)
    {
        lock (_gate)
        {
            _hangRestCount = count;
        }
    }

    /// <summary>The next <paramref name="count"/> git HTTP requests answer <paramref name="statusCode"/> with a text/plain body.</summary>
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

    /// <summary>
    /// The next <paramref name="count"/> pushes (receive-pack requests) are refused by the server with
    /// <paramref name="message"/>, which git shows as <c>remote: &lt;message&gt;</c>.
    /// </summary>
    public void FailNextPushes(int count, string message)
    {
        lock (_gate)
        {
            _failPushCount = count;
            _failPushMessage = message;
        }
    }

    /// <summary>
    /// Holds every <c>git-receive-pack</c> request (a push on the wire) until <see cref="ResumeReceivePacks"/>, so
    /// a test can kill a pushing process in the middle of its push. A held request whose client goes away is dropped
    /// without touching the repository.
    /// </summary>
    public void PauseReceivePacks()
    {
        lock (_gate)
        {
            _receivePackGate ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets held and later pushes through.</summary>
    public void ResumeReceivePacks()
    {
        TaskCompletionSource? gate;
        lock (_gate)
        {
            gate = _receivePackGate;
            _receivePackGate = null;
        }
        gate?.TrySetResult();
    }

    /// <summary>Pushes currently held by <see cref="PauseReceivePacks"/>.</summary>
    public int ReceivePacksWaiting => Volatile.Read(ref _receivePacksWaiting);

    /// <summary>Waits while pushes are paused; false when the client went away (or the emulator stops) meanwhile.</summary>
    private async Task<bool> PassReceivePackGateAsync(HttpContext http)
    {
        Task? gate;
        lock (_gate)
        {
            gate = _receivePackGate?.Task;
        }
        if (gate is null)
        {
            return true;
        }
        Interlocked.Increment(ref _receivePacksWaiting);
        try
        {
            using var abort = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _stopping.Token);
            await gate.WaitAsync(abort.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _receivePacksWaiting);
        }
    }

    public async ValueTask DisposeAsync() => await EmulatorHost.StopAsync(_app, _stopping, _root);

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        if (path.Equals("/~api", StringComparison.Ordinal) || path.StartsWith("/~api/", StringComparison.Ordinal))
        {
            var (fail, status, hang) = TakeRestFault();
            if (hang)
            {
                await HttpResults.HangAsync(http, _stopping.Token);
                return;
            }

            if (fail)
            {
                await HttpResults.TextAsync(http, status, "Internal server error");
                return;
            }

            await HandleRestAsync(http, path.Length > "/~api/".Length ? path["/~api/".Length..] : string.Empty);
            return;
        }

        await HandleGitAsync(http, path);
    }

    private (bool Fail, int Status, bool Hang) TakeRestFault()
    {
        lock (_gate)
        {
            if (_hangRestCount > 0)
            {
                _hangRestCount--;
                return (false, 0, true);
            }

            if (_failRestCount > 0)
            {
                _failRestCount--;
                return (true, _failRestStatus, false);
            }

            return (false, 0, false);
        }
    }

    /// <summary>Takes one injected fetch or push failure, if any is left.</summary>
    private string? TakeTransferFault(bool push)
    {
        lock (_gate)
        {
            ref var count = ref push ? ref _failPushCount : ref _failFetchCount;
            if (count <= 0)
            {
                return null;
            }
            count--;
            return push ? _failPushMessage : _failFetchMessage;
        }
    }

    private (bool Fail, int Status) TakeGitFault()
    {
        lock (_gate)
        {
            if (_failGitCount > 0)
            {
                _failGitCount--;
                return (true, _failGitStatus);
            }

            return (false, 0);
        }
    }

    /// <summary>Reads credentials the way OneDev's Shiro filters do (§1).</summary>
    private Credentials Authenticate(HttpRequest request)
    {
        string header = request.Headers["OneDevAuthorization"].ToString();
        if (string.IsNullOrEmpty(header))
        {
            header = request.Headers.Authorization.ToString();
        }

        if (string.IsNullOrEmpty(header))
        {
            return Credentials.Anonymous;
        }

        if (header.StartsWith("Bearer ", StringComparison.Ordinal) || header.StartsWith("token ", StringComparison.Ordinal))
        {
            var token = header[(header.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
            return Lookup(token) is { } entry ? Credentials.For(entry) : Credentials.Invalid;
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return Credentials.Invalid;
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            var user = colon < 0 ? decoded : decoded[..colon];
            var password = colon < 0 ? string.Empty : decoded[(colon + 1)..];
            if (Lookup(user) is { } byUser)
            {
                return Credentials.For(byUser);
            }

            if (Lookup(password) is { } byPassword)
            {
                return Credentials.For(byPassword);
            }

            // A real user name + password login; the emulator has no passwords, so it always fails.
            return user.Length > 0 && password.Length > 0 ? Credentials.Invalid : Credentials.Anonymous;
        }

        return Credentials.Anonymous;
    }

    private TokenEntry? Lookup(string token)
    {
        if (token.Length == 0)
        {
            return null;
        }

        lock (_gate)
        {
            return _tokens.GetValueOrDefault(token);
        }
    }

    private int CountFor(Dictionary<long, int> counters, string projectPath)
    {
        lock (_gate)
        {
            var project = FindByPath(projectPath);
            return project is null ? 0 : counters.GetValueOrDefault(project.Id);
        }
    }

    private void Increment(Dictionary<long, int> counters, long projectId)
    {
        lock (_gate)
        {
            counters[projectId] = counters.GetValueOrDefault(projectId) + 1;
        }
    }

    private string RepositoryDirectory(long projectId) => Path.Combine(_repositoriesRoot, projectId.ToString(CultureInfo.InvariantCulture) + ".git");

    // The members below expect _gate to be held.
    private ProjectEntry? FindByPath(string path)
    {
        var trimmed = path.Trim('/');
        return _projects.Values.FirstOrDefault(p => string.Equals(PathOf(p), trimmed, StringComparison.OrdinalIgnoreCase));
    }

    private string PathOf(ProjectEntry project) =>
        project.ParentId is long parentId && _projects.TryGetValue(parentId, out var parent) ? PathOf(parent) + "/" + project.Name : project.Name;

    private EmulatedProject Snapshot(ProjectEntry p) => new(
        p.Id, p.ParentId, p.Name, PathOf(p), p.Key, p.Description, p.CodeManagement, p.PackManagement, p.IssueManagement,
        p.TimeTracking, p.ForkedFromId, p.ServiceDeskEmailAddress, p.CreateDate);

    private sealed record TokenEntry(string UserName, bool OwnerPermissions);

    private sealed record Credentials(bool IsInvalid, TokenEntry? Principal)
    {
        public static readonly Credentials Anonymous = new(false, null);

        public static readonly Credentials Invalid = new(true, null);

        public static Credentials For(TokenEntry entry) => new(false, entry);
    }

    private sealed class ProjectEntry
    {
        public required long Id { get; init; }

        public long? ParentId { get; set; }

        public required string Name { get; set; }

        public string? Key { get; set; }

        public string? Description { get; set; }

        public bool CodeManagement { get; set; }

        public bool PackManagement { get; set; }

        public bool IssueManagement { get; set; }

        public bool TimeTracking { get; set; }

        public long? ForkedFromId { get; set; }

        public string? ServiceDeskEmailAddress { get; set; }

        public Dictionary<string, string?> GitPackConfig { get; set; } = [];

        public string? AnalysisFiles { get; set; }

        public required DateTimeOffset CreateDate { get; init; }

        public DateTimeOffset LastActivityDate { get; set; }
    }
}
