using System.Diagnostics;
using System.Net;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

using StarSync.Emulators;
using StarSync.OneDev;

namespace StarSync.Orchestrator.Tests.Projects;

[Trait("Category", "Integration")]
public sealed class OneDevClientTests : IAsyncLifetime
{
    private OneDevEmulator _emulator = null!;
    private ServiceProvider _provider = null!;
    private OneDevClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = await OneDevEmulator.StartAsync(Ct);
        _provider = OneDevTestServices.Client(_emulator, out _client);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task CreateProject_AtRoot_ReturnsIdAndSendsFlags()
    {
        long id = await _client.CreateProjectAsync(
            new NewOneDevProject("hello", null) { Description = "d", CodeManagement = true, IssueManagement = false, PackManagement = false }, Ct);

        EmulatedProject project = Assert.Single(_emulator.Projects);
        Assert.Equal(id, project.Id);
        Assert.Equal("hello", project.Path);
        Assert.Equal("d", project.Description);
        Assert.True(project.CodeManagement);
        Assert.False(project.IssueManagement);
        Assert.False(project.PackManagement);
        Assert.False(project.TimeTracking);
    }

    [Fact]
    public async Task FindProjectByPath_DifferentCase_FindsProject()
    {
        long parent = await _client.CreateProjectAsync(new NewOneDevProject("GitHub", null), Ct);
        long child = await _client.CreateProjectAsync(new NewOneDevProject("Hello", parent), Ct);

        OneDevProject? found = await _client.FindProjectByPathAsync("github/hello", Ct);

        Assert.NotNull(found);
        Assert.Equal(child, found.Id);
        Assert.Equal(parent, found.ParentId);
        Assert.Equal("GitHub/Hello", found.Path);
    }

    [Fact]
    public async Task FindProjectByPath_Missing_ReturnsNull()
    {
        await _client.CreateProjectAsync(new NewOneDevProject("hello", null), Ct);

        Assert.Null(await _client.FindProjectByPathAsync("hello2", Ct));
        Assert.Null(await _client.FindProjectByPathAsync("hell", Ct));
    }

    [Fact]
    public async Task FindProjectByPath_QuotesAndBackslashes_AreEscaped()
    {
        Assert.Null(await _client.FindProjectByPathAsync("we\"ird\\name", Ct));
    }

    [Fact]
    public async Task FindProjectByPath_Wildcard_MatchesOnlyExactPath()
    {
        await _client.CreateProjectAsync(new NewOneDevProject("abc", null), Ct);

        Assert.Null(await _client.FindProjectByPathAsync("a*", Ct));
    }

    [Fact]
    public async Task FindChildren_ReturnsDirectChildrenOnly()
    {
        long parent = await _client.CreateProjectAsync(new NewOneDevProject("github", null), Ct);
        long a = await _client.CreateProjectAsync(new NewOneDevProject("a", parent), Ct);
        await _client.CreateProjectAsync(new NewOneDevProject("deep", a), Ct);
        long b = await _client.CreateProjectAsync(new NewOneDevProject("b", parent), Ct);

        IReadOnlyList<OneDevProject> children = await _client.FindChildrenAsync("github", Ct);

        Assert.Equal([a, b], children.Select(c => c.Id).Order());
    }

    [Fact]
    public async Task QueryProjects_PathWildcard_ReturnsMatches()
    {
        await _client.CreateProjectAsync(new NewOneDevProject("hello-1", null), Ct);
        await _client.CreateProjectAsync(new NewOneDevProject("hello-2", null), Ct);
        await _client.CreateProjectAsync(new NewOneDevProject("other", null), Ct);

        IReadOnlyList<OneDevProject> found = await _client.QueryProjectsAsync($"\"Path\" is {OneDevClient.QuoteQueryValue("hello-*")}", Ct);

        Assert.Equal(["hello-1", "hello-2"], found.Select(p => p.Name).Order());
    }

    [Fact]
    public async Task CreateProject_DuplicateNameAnyCase_ThrowsNameConflict()
    {
        await _client.CreateProjectAsync(new NewOneDevProject("hello", null), Ct);

        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => _client.CreateProjectAsync(new NewOneDevProject("HELLO", null), Ct));

        Assert.True(ex.IsNameConflict);
        Assert.False(ex.IsTransient);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("already used by another root project", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetProject_ThenUpdate_ReplacesDescriptionAndKeepsTheRest()
    {
        long parent = await _client.CreateProjectAsync(new NewOneDevProject("github", null), Ct);
        long id = await _client.CreateProjectAsync(new NewOneDevProject("hello", parent) { IssueManagement = false }, Ct);

        OneDevProject project = await _client.GetProjectAsync(id, Ct);
        await _client.UpdateProjectAsync(project with { Description = "Mirror of x" }, Ct);
        OneDevProject updated = await _client.GetProjectAsync(id, Ct);

        Assert.Equal("Mirror of x", updated.Description);
        Assert.Equal(parent, updated.ParentId);
        Assert.Equal("github/hello", updated.Path);
        Assert.False(updated.IssueManagement);
        Assert.True(updated.CodeManagement);
    }

    [Fact]
    public async Task GetProject_Missing_ThrowsPermanentNotFound()
    {
        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => _client.GetProjectAsync(999, Ct));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task DeleteProject_Parent_DeletesChildrenToo()
    {
        long parent = await _client.CreateProjectAsync(new NewOneDevProject("github", null), Ct);
        await _client.CreateProjectAsync(new NewOneDevProject("hello", parent), Ct);

        await _client.DeleteProjectAsync(parent, Ct);

        Assert.Empty(_emulator.Projects);
        Assert.Null(await _client.FindProjectByPathAsync("github/hello", Ct));
    }

    [Fact]
    public async Task GetHttpCloneUrl_ReturnsPathDotGitWithoutCredentials()
    {
        long parent = await _client.CreateProjectAsync(new NewOneDevProject("github", null), Ct);
        long id = await _client.CreateProjectAsync(new NewOneDevProject("hello", parent), Ct);

        string url = await _client.GetHttpCloneUrlAsync(id, Ct);

        Assert.Equal(new Uri(_emulator.BaseUrl, "github/hello.git").ToString(), url);
        Assert.DoesNotContain(_emulator.Token, url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetDefaultBranch_EmptyRepository_ReturnsNull()
    {
        long id = await _client.CreateProjectAsync(new NewOneDevProject("hello", null), Ct);

        Assert.Null(await _client.GetDefaultBranchAsync(id, Ct));
    }

    [Fact]
    public async Task SetDefaultBranch_PushedBranch_BecomesDefault()
    {
        long id = await _client.CreateProjectAsync(new NewOneDevProject("hello", null), Ct);
        string url = await _client.GetHttpCloneUrlAsync(id, Ct);
        string work = Directory.CreateTempSubdirectory("starsync-onedev-client-").FullName;
        try
        {
            Git(work, "init", "-q", "-b", "main");
            Git(work, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "one");
            Git(work, "branch", "trunk");
            Git(work, "-c", $"http.extraHeader=Authorization: Bearer {_emulator.Token}", "push", "-q", url, "main", "trunk");

            Assert.Equal("main", await _client.GetDefaultBranchAsync(id, Ct));
            await _client.SetDefaultBranchAsync(id, "trunk", Ct);
            Assert.Equal("trunk", await _client.GetDefaultBranchAsync(id, Ct));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task RevokedToken_ThrowsPermanentReadableErrorWithoutToken()
    {
        _emulator.RevokeToken(_emulator.Token);

        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => _client.FindProjectByPathAsync("hello", Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("OneDev rejected the access token (401 Invalid account or incorrect credentials)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_emulator.Token, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithoutOwnerPermissions_CreateRoot_ThrowsPermanentForbidden()
    {
        await using ServiceProvider provider = OneDevTestServices.Client(_emulator, out OneDevClient client, token: _emulator.AddToken(ownerPermissions: false));

        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => client.CreateProjectAsync(new NewOneDevProject("hello", null), Ct));

        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task ServerError_ThrowsTransient(int status)
    {
        _emulator.FailNextRestRequests(1, status);

        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => _client.FindProjectByPathAsync("hello", Ct));

        Assert.True(ex.IsTransient);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Null(await _client.FindProjectByPathAsync("hello", Ct));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(406)]
    [InlineData(415)]
    public async Task ClientError_ThrowsPermanent(int status)
    {
        _emulator.FailNextRestRequests(1, status);

        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => _client.FindProjectByPathAsync("hello", Ct));

        Assert.False(ex.IsTransient);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
    }

    [Fact]
    public async Task HangingServer_TimesOutAsTransient()
    {
        await using ServiceProvider provider = OneDevTestServices.Client(_emulator, out OneDevClient client, timeout: TimeSpan.FromSeconds(1));
        _emulator.HangNextRestRequests(1);
        var watch = Stopwatch.StartNew();

        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => client.FindProjectByPathAsync("hello", Ct));

        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Contains("did not answer in time", ex.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task CallerCancellation_ThrowsOperationCanceled()
    {
        _emulator.HangNextRestRequests(1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        Task<OneDevProject?> call = _client.FindProjectByPathAsync("hello", cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task UnreachableServer_ThrowsTransient()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var settings = OneDevTestServices.Settings(_emulator);
        settings["OneDev:Url"] = $"http://127.0.0.1:{port}/";
        await using ServiceProvider provider = OneDevTestServices.Client(settings, out OneDevClient client);

        OneDevException ex = await Assert.ThrowsAsync<OneDevException>(() => client.FindProjectByPathAsync("hello", Ct));

        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Contains("could not be reached", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddOneDevClient_MissingToken_FailsOnStart()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["OneDev:Url"] = "https://onedev.example.com" });
        builder.Services.AddOneDevClient();
        using IHost host = builder.Build();

        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        Assert.Contains("OneDev:Token", ex.Message, StringComparison.Ordinal);
    }

    private static void Git(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {arguments[0]} failed: {stderr}");
    }
}
