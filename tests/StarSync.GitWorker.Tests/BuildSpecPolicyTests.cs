using Microsoft.Extensions.DependencyInjection;

using StarSync.Contracts;
using StarSync.Emulators;
using StarSync.GitWorker.Tests.Support;
using StarSync.Testing;

namespace StarSync.GitWorker.Tests;

/// <summary>
/// A starred repository is someone else's code: a <c>.onedev-buildspec.yml</c> at the tip of a pushed ref would
/// make OneDev run its jobs. The OneDev emulator records every push that would have (<see cref="OneDevEmulator.JobTriggers"/>).
/// </summary>
[Trait("Category", "Integration")]
public sealed class BuildSpecPolicyTests : IAsyncLifetime
{
    private const string BuildSpec = "version: 40\njobs:\n- name: ci\n  steps:\n  - type: CommandStep\n    commands: [make]\n  triggers:\n  - type: BranchUpdateTrigger\n";

    private MirrorEnvironment _env = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _env = await MirrorEnvironment.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task Refuse_PushesNothing_AndNamesTheRefsAndTheFile()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "jobs", Ct);
        await source.CommitAsync("docs", "guide.md", "# guide", "docs only, before CI existed");
        await source.CommitAsync("main", ".onedev-buildspec.yml", BuildSpec, "add CI");
        await source.CreateTagAsync("v1", "main", annotated: true);
        var command = await _env.CreateTargetAsync(repository, Ct);

        var refused = await Assert.ThrowsAsync<BuildSpecRefusedException>(() => Mirror().RunAsync(command, Ct));
        TestContext.Current.TestOutputHelper?.WriteLine(refused.Message);

        Assert.Equal(["refs/heads/main", "refs/tags/v1"], refused.Refs);
        Assert.Contains(".onedev-buildspec.yml at the tip of refs/heads/main, refs/tags/v1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the policy is Refuse", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await _env.MirrorRefsAsync(command, Ct));
        Assert.Empty(_env.OneDev.JobTriggers);
    }

    [Fact]
    public async Task Allow_PushesTheBuildSpec_AndSaysWhichRefsCarryIt()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "trusted", Ct);
        await source.CommitAsync("main", ".onedev-buildspec.yml", BuildSpec, "add CI");
        var command = await _env.CreateTargetAsync(repository, Ct) with { BuildSpecs = BuildSpecPolicy.Allow };

        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(["refs/heads/main"], outcome.BuildSpecRefs);
        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key), (await _env.MirrorRefsAsync(command, Ct)).OrderBy(r => r.Key));
        var trigger = Assert.Single(_env.OneDev.JobTriggers);
        Assert.Equal("refs/heads/main", trigger.Ref);
    }

    [Fact]
    public async Task Isolated_PushesOnlyWhileEveryExecutorExcludesTheMirror()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "isolated", Ct);
        await source.CommitAsync("main", ".onedev-buildspec.yml", BuildSpec, "add CI");
        var command = await _env.CreateTargetAsync(repository, Ct) with { BuildSpecs = BuildSpecPolicy.Isolated };

        // A fresh server has no executor and would discover one.
        var none = await Assert.ThrowsAsync<BuildSpecRefusedException>(() => Mirror().RunAsync(command, Ct));
        Assert.Contains("no job executor is defined", none.Message, StringComparison.Ordinal);
        _env.OneDev.JobExecutors.Add(new EmulatedJobExecutor("trusted-only", "\"Project\" is not \"github/**\""));
        _env.OneDev.JobExecutors.Add(new EmulatedJobExecutor("any-job", null));
        var exposed = await Assert.ThrowsAsync<BuildSpecRefusedException>(() => Mirror().RunAsync(command, Ct));
        Assert.Contains("job executor(s) 'any-job' would run jobs of 'github/octo/isolated'", exposed.Message, StringComparison.Ordinal);
        _env.OneDev.TokenIsAdministrator = false;
        var unreadable = await Assert.ThrowsAsync<BuildSpecRefusedException>(() => Mirror().RunAsync(command, Ct));
        Assert.Contains("may not read the job executor settings", unreadable.Message, StringComparison.Ordinal);
        Assert.Empty(await _env.MirrorRefsAsync(command, Ct));

        _env.OneDev.TokenIsAdministrator = true;
        _env.OneDev.JobExecutors.RemoveAll(e => e.Name == "any-job");
        var outcome = await Mirror().RunAsync(command, Ct);

        Assert.True(outcome.Pushed);
        Assert.Equal(["refs/heads/main"], outcome.BuildSpecRefs);
        // Pushed, but no executor of this server would take the job.
        Assert.Single(_env.OneDev.JobTriggers);
    }

    [Fact]
    public async Task OnlyTheNewTipsCount_NotHistoryNorRefsAlreadyMirrored()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "history", Ct);
        await source.CommitAsync("main", ".onedev-buildspec.yml", BuildSpec, "add CI");
        var command = await _env.CreateTargetAsync(repository, Ct);
        // Trusted once: main with its build spec is in OneDev.
        await Mirror().RunAsync(command with { BuildSpecs = BuildSpecPolicy.Allow }, Ct);
        // A branch whose history had a build spec but whose tip has none.
        await source.CommitAsync("cleanup", "README.md", "# no CI here", "branch off main");
        await source.DeleteFileAsync("cleanup", ".onedev-buildspec.yml", "drop CI");

        var outcome = await Mirror().RunAsync(command with { Attempt = 2 }, Ct);

        Assert.True(outcome.Pushed);
        Assert.Null(outcome.BuildSpecRefs);
        Assert.Single(_env.OneDev.JobTriggers);
    }

    private RepositoryMirror Mirror() => _env.BuildServices().GetRequiredService<RepositoryMirror>();
}
