using MassTransit;
using MassTransit.Testing;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using Microsoft.Extensions.Time.Testing;
using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.OneDev;
using StarSync.Orchestrator.Projects;

namespace StarSync.Orchestrator.Tests.Projects;

[Trait("Category", "Integration")]
public sealed class CreateOneDevProjectConsumerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Today = new(2026, 8, 22, 10, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Today);
    private OneDevEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _emulator = await OneDevEmulator.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task DefaultTemplate_CreatesRootMirrorProject()
    {
        GitHubRepository repository = Repo(101, "octo", "hello", "Says hello");

        OneDevProjectCreated created = await RunExpectingCreatedAsync(repository);

        EmulatedProject project = Assert.Single(_emulator.Projects);
        Assert.Equal(project.Id, created.ProjectId);
        Assert.Equal("octo-hello", created.ProjectPath);
        Assert.False(created.Existed);
        Assert.Equal(new Uri(_emulator.BaseUrl, "octo-hello.git").ToString(), created.GitUrl);
        Assert.Null(project.ParentId);
        Assert.True(project.CodeManagement);
        Assert.False(project.IssueManagement);
        Assert.False(project.PackManagement);
        Assert.False(project.TimeTracking);
        Assert.StartsWith("Mirror of https://github.com/octo/hello — managed by StarSync (github-id 101)", project.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParentTemplate_CreatesEachLevel()
    {
        OneDevProjectCreated created = await RunExpectingCreatedAsync(Repo(102, "octo", "hello"), template: "github/{owner}/{repo}");

        Assert.Equal("github/octo/hello", created.ProjectPath);
        Assert.Equal(["github", "github/octo", "github/octo/hello"], _emulator.Projects.Select(p => p.Path));
        Assert.All(_emulator.Projects.Take(2), p =>
        {
            Assert.False(p.CodeManagement);
            Assert.False(p.IssueManagement);
            Assert.Null(MirrorMarker.GitHubIdOf(p.Description));
        });
        Assert.Equal(_emulator.Projects[1].Id, _emulator.Projects[2].ParentId);
        Assert.Equal(3, _emulator.CreateProjectCalls);
    }

    [Fact]
    public async Task ParentTemplate_ExistingParents_AreReused()
    {
        await using (ServiceProvider provider = OneDevTestServices.Client(_emulator, out OneDevClient client))
        {
            long github = await client.CreateProjectAsync(new NewOneDevProject("GitHub", null), Ct);
            await client.CreateProjectAsync(new NewOneDevProject("other", github), Ct);
        }

        OneDevProjectCreated created = await RunExpectingCreatedAsync(Repo(103, "octo", "hello"), template: "github/{owner}/{repo}");

        Assert.Equal("GitHub/octo/hello", created.ProjectPath);
        Assert.Equal(4, _emulator.Projects.Count);
        Assert.Equal(4, _emulator.CreateProjectCalls);
    }

    [Fact]
    public async Task SecondRun_FindsSameProjectWithoutCreating()
    {
        GitHubRepository repository = Repo(104, "octo", "hello");
        OneDevProjectCreated first = await RunExpectingCreatedAsync(repository, template: "github/{owner}/{repo}");

        OneDevProjectCreated second = await RunExpectingCreatedAsync(repository, template: "github/{owner}/{repo}", attempt: 2);

        Assert.Equal(first.ProjectId, second.ProjectId);
        Assert.Equal(first.GitUrl, second.GitUrl);
        Assert.True(second.Existed);
        Assert.Equal(2, second.Attempt);
        Assert.Equal(3, _emulator.Projects.Count);
        Assert.Equal(3, _emulator.CreateProjectCalls);
    }

    [Fact]
    public async Task ConcurrentCommandsForSameRepository_ShareOneProject()
    {
        GitHubRepository repository = Repo(105, "octo", "hello");
        await using ServiceProvider provider = BuildHarness();
        ITestHarness harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        CreateOneDevProject[] commands = [.. Enumerable.Range(1, 4).Select(i => new CreateOneDevProject(Guid.NewGuid(), i, repository))];

        await Task.WhenAll(commands.Select(c => harness.Bus.Publish(c, Ct)));
        List<OneDevProjectCreated> created = [];
        foreach (CreateOneDevProject command in commands)
        {
            created.Add(await PublishedAsync<OneDevProjectCreated>(harness, command.MirrorId));
        }

        EmulatedProject project = Assert.Single(_emulator.Projects);
        Assert.All(created, c => Assert.Equal(project.Id, c.ProjectId));
        Assert.Single(created, c => !c.Existed);
    }

    [Fact]
    public async Task UnmarkedProject_UseExisting_AdoptsIt()
    {
        long id = await CreateDirectlyAsync("octo-hello", description: "someone's own project");

        OneDevProjectCreated created = await RunExpectingCreatedAsync(Repo(106, "octo", "hello"), policy: ConflictPolicy.UseExisting);

        Assert.Equal(id, created.ProjectId);
        Assert.True(created.Existed);
        Assert.Equal("someone's own project", Assert.Single(_emulator.Projects).Description);
    }

    [Fact]
    public async Task UnmarkedProject_Fail_PublishesPermanentFailure()
    {
        await CreateDirectlyAsync("octo-hello", description: null);

        OneDevProjectCreationFailed failed = await RunExpectingFailedAsync(Repo(107, "octo", "hello"), policy: ConflictPolicy.Fail);

        Assert.False(failed.Transient);
        Assert.Contains("OneDev project 'octo-hello' already exists and is not a StarSync mirror of octo/hello", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(Today, failed.FailedAt);
        Assert.Single(_emulator.Projects);
    }

    [Fact]
    public async Task UnmarkedProject_DateSuffix_CreatesSuffixedProjectAndFindsItTheNextDay()
    {
        await CreateDirectlyAsync("octo-hello", description: null);
        GitHubRepository repository = Repo(108, "octo", "hello");

        OneDevProjectCreated first = await RunExpectingCreatedAsync(repository, policy: ConflictPolicy.DateSuffix);
        _time.SetUtcNow(Today.AddDays(3));
        OneDevProjectCreated retry = await RunExpectingCreatedAsync(repository, policy: ConflictPolicy.DateSuffix, attempt: 2);

        Assert.Equal("octo-hello-20260822", first.ProjectPath);
        Assert.False(first.Existed);
        Assert.Equal(first.ProjectId, retry.ProjectId);
        Assert.True(retry.Existed);
        Assert.Equal(2, _emulator.Projects.Count);
    }

    [Fact]
    public async Task SuffixAlsoTaken_DateSuffix_AddsCounter()
    {
        await CreateDirectlyAsync("octo-hello", description: null);
        await CreateDirectlyAsync("octo-hello-20260822", description: null);

        OneDevProjectCreated created = await RunExpectingCreatedAsync(Repo(109, "octo", "hello"), policy: ConflictPolicy.DateSuffix);

        Assert.Equal("octo-hello-20260822-2", created.ProjectPath);
    }

    [Fact]
    public async Task OtherRepositorysMirror_UseExisting_GetsASuffixedProjectOfItsOwn()
    {
        OneDevProjectCreated mine = await RunExpectingCreatedAsync(Repo(110, "alice", "tool"), template: "{repo}");

        OneDevProjectCreated newcomer = await RunExpectingCreatedAsync(Repo(111, "bob", "tool"), template: "{repo}", policy: ConflictPolicy.UseExisting);
        OneDevProjectCreated again = await RunExpectingCreatedAsync(Repo(111, "bob", "tool"), template: "{repo}", policy: ConflictPolicy.UseExisting);

        Assert.Equal("tool", mine.ProjectPath);
        Assert.Equal("tool-20260822", newcomer.ProjectPath);
        Assert.NotEqual(mine.ProjectId, newcomer.ProjectId);
        Assert.Equal(newcomer.ProjectId, again.ProjectId);
        Assert.Equal(2, _emulator.Projects.Count);
    }

    [Fact]
    public async Task OtherRepositorysMirror_Fail_FailsPermanentlyNamingIt()
    {
        await RunExpectingCreatedAsync(Repo(116, "alice", "gadget"), template: "{repo}");

        OneDevProjectCreationFailed failed = await RunExpectingFailedAsync(Repo(117, "bob", "gadget"), template: "{repo}", policy: ConflictPolicy.Fail);

        Assert.False(failed.Transient);
        Assert.Contains("'gadget' is StarSync's mirror of another GitHub repository (github-id 116)", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("bob/gadget", failed.Reason, StringComparison.Ordinal);
        Assert.Single(_emulator.Projects);
    }

    [Fact]
    public async Task OtherRepositorysMirror_DateSuffix_GetsItsOwnProject()
    {
        await RunExpectingCreatedAsync(Repo(112, "alice", "tool"), template: "{repo}", policy: ConflictPolicy.DateSuffix);

        OneDevProjectCreated bob = await RunExpectingCreatedAsync(Repo(113, "bob", "tool"), template: "{repo}", policy: ConflictPolicy.DateSuffix);
        OneDevProjectCreated carol = await RunExpectingCreatedAsync(Repo(114, "carol", "tool"), template: "{repo}", policy: ConflictPolicy.DateSuffix);
        OneDevProjectCreated bobAgain = await RunExpectingCreatedAsync(Repo(113, "bob", "tool"), template: "{repo}", policy: ConflictPolicy.DateSuffix);

        Assert.Equal("tool-20260822", bob.ProjectPath);
        Assert.Equal("tool-20260822-2", carol.ProjectPath);
        Assert.Equal(bob.ProjectId, bobAgain.ProjectId);
        Assert.Equal(3, _emulator.Projects.Count);
    }

    [Fact]
    public async Task RevokedToken_PublishesPermanentFailureWithReadableReason()
    {
        _emulator.RevokeToken(_emulator.Token);

        OneDevProjectCreationFailed failed = await RunExpectingFailedAsync(Repo(115, "octo", "hello"));

        Assert.False(failed.Transient);
        Assert.Contains("OneDev rejected the access token (401 Invalid account or incorrect credentials)", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_emulator.Token, failed.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _emulator.CreateProjectCalls);
    }

    [Fact]
    public async Task ServerErrors_PublishTransientFailure()
    {
        _emulator.FailNextRestRequests(1, 500);

        OneDevProjectCreationFailed failed = await RunExpectingFailedAsync(Repo(116, "octo", "hello"));

        Assert.True(failed.Transient);
        Assert.Contains("500", failed.Reason, StringComparison.Ordinal);
        Assert.Empty(_emulator.Projects);
    }

    [Fact]
    public async Task ProjectMadeByEarlierAttempt_FailPolicy_IsReused()
    {
        GitHubRepository repository = Repo(117, "octo", "hello");
        await using (ServiceProvider provider = OneDevTestServices.Client(_emulator, out OneDevClient client))
        {
            // Simulate an attempt that created the project and then lost the answer.
            await client.CreateProjectAsync(new NewOneDevProject("octo-hello", null) { Description = MirrorMarker.Description(repository) }, Ct);
        }

        OneDevProjectCreated created = await RunExpectingCreatedAsync(repository, policy: ConflictPolicy.Fail, attempt: 2);

        Assert.True(created.Existed);
        Assert.Single(_emulator.Projects);
    }

    [Fact]
    public async Task ServiceUnavailable_PublishesTransientFailure()
    {
        _emulator.FailNextRestRequests(1, 503);

        OneDevProjectCreationFailed failed = await RunExpectingFailedAsync(Repo(118, "octo", "hello"), template: "github/{owner}/{repo}");

        Assert.True(failed.Transient);
    }

    private static GitHubRepository Repo(long id, string owner, string name, string? description = null) =>
        new(id, owner, name, $"{owner}/{name}", $"https://github.com/{owner}/{name}.git", $"https://github.com/{owner}/{name}", "main", false, 10, description);

    private async Task<long> CreateDirectlyAsync(string name, string? description)
    {
        await using ServiceProvider provider = OneDevTestServices.Client(_emulator, out OneDevClient client);
        return await client.CreateProjectAsync(new NewOneDevProject(name, null) { Description = description }, Ct);
    }

    private async Task<OneDevProjectCreated> RunExpectingCreatedAsync(
        GitHubRepository repository, string template = "{owner}-{repo}", ConflictPolicy policy = ConflictPolicy.UseExisting, int attempt = 1)
    {
        (OneDevProjectCreated? created, OneDevProjectCreationFailed? failed) = await RunAsync(repository, template, policy, attempt);
        Assert.True(failed is null, failed?.Reason);
        Assert.NotNull(created);
        return created;
    }

    private async Task<OneDevProjectCreationFailed> RunExpectingFailedAsync(
        GitHubRepository repository, string template = "{owner}-{repo}", ConflictPolicy policy = ConflictPolicy.UseExisting)
    {
        (OneDevProjectCreated? created, OneDevProjectCreationFailed? failed) = await RunAsync(repository, template, policy, attempt: 1);
        Assert.Null(created);
        Assert.NotNull(failed);
        return failed;
    }

    /// <summary>A fresh harness per run: publishes the command and returns whichever outcome the consumer published.</summary>
    private async Task<(OneDevProjectCreated? Created, OneDevProjectCreationFailed? Failed)> RunAsync(
        GitHubRepository repository, string template, ConflictPolicy policy, int attempt)
    {
        await using ServiceProvider provider = BuildHarness(template, policy);
        ITestHarness harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        var command = new CreateOneDevProject(Guid.NewGuid(), attempt, repository);

        await harness.Bus.Publish(command, Ct);

        Assert.True(await harness.Consumed.Any<CreateOneDevProject>(x => x.Context.Message.MirrorId == command.MirrorId, Ct));
        IReceivedMessage<CreateOneDevProject> consumed = harness.Consumed.Select<CreateOneDevProject>(x => x.Context.Message.MirrorId == command.MirrorId, Ct).Single();
        Assert.True(consumed.Exception is null, $"the consumer threw: {consumed.Exception}");
        OneDevProjectCreated? created = harness.Published.Select<OneDevProjectCreated>(Ct)
            .Select(m => m.Context.Message).SingleOrDefault(m => m.MirrorId == command.MirrorId);
        OneDevProjectCreationFailed? failed = harness.Published.Select<OneDevProjectCreationFailed>(Ct)
            .Select(m => m.Context.Message).SingleOrDefault(m => m.MirrorId == command.MirrorId);
        Assert.True(created is null != failed is null, "exactly one outcome is published");
        Assert.Equal(attempt, created?.Attempt ?? failed!.Attempt);
        return (created, failed);
    }

    private static async Task<T> PublishedAsync<T>(ITestHarness harness, Guid mirrorId)
        where T : class
    {
        Assert.True(await harness.Published.Any<T>(x => MirrorIdOf(x.Context.Message) == mirrorId, Ct), $"no {typeof(T).Name} for {mirrorId}");
        return harness.Published.Select<T>(x => MirrorIdOf(x.Context.Message) == mirrorId, Ct).Single().Context.Message;
    }

    private static Guid MirrorIdOf(object message) => message switch
    {
        OneDevProjectCreated c => c.MirrorId,
        OneDevProjectCreationFailed f => f.MirrorId,
        _ => Guid.Empty,
    };

    /// <summary>The Orchestrator's own registration (<see cref="ProjectsHosting.AddOneDevProjects"/>) plus the MassTransit test harness.</summary>
    private ServiceProvider BuildHarness(string template = "{owner}-{repo}", ConflictPolicy policy = ConflictPolicy.UseExisting)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(OneDevTestServices.Settings(_emulator));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Projects:NameTemplate"] = template,
            ["Projects:ConflictPolicy"] = policy.ToString(),
        });
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddLogging(l => l.SetMinimumLevel(LogLevel.Debug));
        builder.AddOneDevProjects();
        builder.Services.AddMassTransitTestHarness(x =>
            x.AddConsumer<CreateOneDevProjectConsumer, CreateOneDevProjectConsumerDefinition>());
        return builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
