using System.Net.Http.Headers;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.OneDev;
using StarSync.Testing;

using TestGit = StarSync.Testing.Git;

namespace StarSync.GitWorker.Tests.Support;

/// <summary>
/// Everything one mirror test needs: the GitHub emulator as the source, the OneDev emulator as the target, a work
/// directory, a git spy, and the GitWorker's services wired to them.
/// </summary>
internal sealed class MirrorEnvironment : IAsyncDisposable
{
    private readonly TempDirectory _root;
    private readonly List<ServiceProvider> _providers = [];

    private MirrorEnvironment(OneDevEmulator oneDev, GitHubEmulator gitHub, TempDirectory root)
    {
        OneDev = oneDev;
        GitHub = gitHub;
        _root = root;
        WorkDirectory = root.CreateSubdirectory("work");
        CacheDirectory = Path.Combine(root.Path, "cache");
        SpyLog = Path.Combine(root.Path, "git-spy.log");
        GitExecutable = GitSpy.Create(root.Path, SpyLog, WorkDirectory, CacheDirectory);
    }

    public OneDevEmulator OneDev { get; }

    public GitHubEmulator GitHub { get; }

    public string WorkDirectory { get; }

    /// <summary>The worker's persistent cache (outside <see cref="WorkDirectory"/>, so tests can check that stays empty).</summary>
    public string CacheDirectory { get; }

    /// <summary>A directory under this environment's root for e.g. a second worker's cache.</summary>
    public string CreateDirectory(string name) => _root.CreateSubdirectory(name);

    public string SpyLog { get; }

    public string GitExecutable { get; }

    public CapturedLogs Logs { get; } = new();

    public string SpyOutput => File.Exists(SpyLog) ? File.ReadAllText(SpyLog) : "";

    public static async Task<MirrorEnvironment> StartAsync(CancellationToken ct)
    {
        var oneDev = await OneDevEmulator.StartAsync(ct);
        var gitHub = await GitHubEmulator.StartAsync(ct);
        return new MirrorEnvironment(oneDev, gitHub, new TempDirectory("gitworker"));
    }

    /// <summary>
    /// A GitHub repository <c>owner/name</c> (private unless told otherwise) with one commit on
    /// <paramref name="initialBranch"/>; the test shapes it further through the returned <see cref="SourceRepository"/>.
    /// </summary>
    public async Task<(GitHubRepository Repository, SourceRepository Source)> CreateSourceAsync(
        string owner, string name, CancellationToken ct, string initialBranch = "main", bool isPrivate = true)
    {
        var emulated = GitHub.CreateRepository(owner, name, isPrivate, initialBranch);
        var source = await SourceRepository.CreateAsync(emulated.BareDirectory, initialBranch);
        await source.CommitAsync(initialBranch, "README.md", $"# {name}\n", "Initial commit");
        var repository = new GitHubRepository(
            emulated.Id, owner, name, emulated.FullName, emulated.CloneUrl.ToString(), new Uri(GitHub.BaseUrl, emulated.FullName).ToString(),
            initialBranch, isPrivate, SizeKb: 1, Description: null);
        return (repository, source);
    }

    /// <summary>The mirror's branches and tags, read with <c>git ls-remote</c> over OneDev's git HTTP.</summary>
    public Task<IReadOnlyDictionary<string, string>> MirrorRefsAsync(MirrorRepository command, CancellationToken ct) =>
        TestGit.LsRemoteAsync(command.OneDevGitUrl, new Dictionary<string, string?>
        {
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
            ["GIT_CONFIG_VALUE_0"] = "Authorization: Bearer " + OneDev.Token,
        }, ct);

    /// <summary>Every ref of the mirror as <c>git ls-remote</c> over OneDev's git HTTP shows it (archive refs included).</summary>
    public async Task<string> MirrorLsRemoteAllAsync(MirrorRepository command, CancellationToken ct) =>
        await TestGit.RunAsync(Path.GetTempPath(), ["ls-remote", command.OneDevGitUrl], new Dictionary<string, string?>
        {
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
            ["GIT_CONFIG_VALUE_0"] = "Authorization: Bearer " + OneDev.Token,
        }, ct);

    /// <summary>The branch HEAD of the mirror points at (OneDev's default branch).</summary>
    public async Task<string> MirrorHeadAsync(GitHubRepository repository) =>
        (await TestGit.RunAsync(TargetDirectory(repository), "symbolic-ref", "--short", "HEAD")).Trim();

    /// <summary>Refs of the mirror outside heads and tags (e.g. GitHub's refs/pull/*), read on disk.</summary>
    public async Task<string> MirrorRefsOutsideHeadsAndTagsAsync(GitHubRepository repository) =>
        (await TestGit.RunAsync(TargetDirectory(repository), "for-each-ref", "--format=%(refname)", "refs/pull/", "refs/remotes/")).Trim();

    /// <summary>The OneDev project <c>github/owner/name</c> and a command to mirror <paramref name="repository"/> into it.</summary>
    public async Task<MirrorRepository> CreateTargetAsync(GitHubRepository repository, CancellationToken ct, int attempt = 1)
    {
        using var http = Client(OneDev);
        var client = new OneDevClient(http);
        var id = await CreateProjectPathAsync(client, TargetPath(repository), ct);
        var gitUrl = await client.GetHttpCloneUrlAsync(id, ct);
        return new MirrorRepository(Guid.NewGuid(), attempt, repository, id, gitUrl);
    }

    public static string TargetPath(GitHubRepository repository) => $"github/{repository.FullName}";

    /// <summary>The target's bare repository (for ref comparisons without going through the mirror code).</summary>
    public string TargetDirectory(GitHubRepository repository) => OneDev.RepositoryPath(TargetPath(repository));

    /// <summary>The GitWorker's services against these servers; <paramref name="settings"/> override configuration.</summary>
    public ServiceProvider BuildServices(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["OneDev:Url"] = OneDev.BaseUrl.ToString(),
            ["OneDev:Token"] = OneDev.Token,
            ["GitHub:Token"] = GitHub.Token,
            ["GitHub:ApiUrl"] = GitHub.ApiUrl.ToString(),
            ["GitWorker:WorkDirectory"] = WorkDirectory,
            ["GitWorker:CacheDirectory"] = CacheDirectory,
            ["GitWorker:GitExecutable"] = GitExecutable,
            ["GitWorker:JobTimeout"] = "00:02:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddGitWorkerServices();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(validateScopes: true);
        _providers.Add(provider);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
        await OneDev.DisposeAsync();
        await GitHub.DisposeAsync();
        _root.Dispose();
    }

    private static HttpClient Client(OneDevEmulator emulator)
    {
        var http = new HttpClient { BaseAddress = emulator.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.Token);
        return http;
    }

    private static async Task<long> CreateProjectPathAsync(OneDevClient client, string path, CancellationToken ct)
    {
        long? parent = null;
        var prefix = "";
        foreach (var segment in path.Split('/'))
        {
            prefix = prefix.Length == 0 ? segment : $"{prefix}/{segment}";
            parent = (await client.FindProjectByPathAsync(prefix, ct))?.Id
                ?? await client.CreateProjectAsync(new NewOneDevProject(segment, parent), ct);
        }
        return parent!.Value;
    }
}
