using MassTransit;
using MassTransit.Testing;

using Microsoft.Extensions.DependencyInjection;

using StarSync.Contracts;
using StarSync.GitWorker.Cache;
using StarSync.GitWorker.Tests.Support;

namespace StarSync.GitWorker.Tests;

[Trait("Category", "Integration")]
public sealed class MirrorRepositoryConsumerTests : IAsyncLifetime
{
    private MirrorEnvironment _env = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _env = await MirrorEnvironment.StartAsync(Ct);

    public async ValueTask DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task MirrorRepository_PublishesStartedThenMirrored()
    {
        var (repository, source) = await _env.CreateSourceAsync("octo", "harness", Ct);
        await source.CreateTagAsync("v1", "main", annotated: true);
        await source.CommitAsync("develop", "d.txt", "d", "Work on develop");
        var command = await _env.CreateTargetAsync(repository, Ct, attempt: 3);
        var harness = await StartHarnessAsync();

        await harness.Bus.Publish(command, Ct);

        Assert.True(await harness.Consumed.Any<MirrorRepository>(x => x.Context.Message.MirrorId == command.MirrorId, Ct));
        var started = await Single<RepositoryMirrorStarted>(harness, command.MirrorId);
        var mirrored = await Single<RepositoryMirrored>(harness, command.MirrorId);
        Assert.Equal(3, started.Attempt);
        Assert.Equal(MirrorRepositoryConsumer.Worker, started.Worker);
        Assert.Contains($"/{Environment.ProcessId}", started.Worker, StringComparison.Ordinal);
        Assert.Equal((3, 2, 1, true), (mirrored.Attempt, mirrored.Branches, mirrored.Tags, mirrored.Pushed));
        Assert.True(mirrored.DurationMs >= 0);
        Assert.Equal([], mirrored.ArchivedRefs ?? ["(null)"]);
        Assert.Null(mirrored.LfsObjects);
        Assert.False(await harness.Published.Any<RepositoryMirrorFailed>(Ct));
        Assert.False(await harness.Published.Any<Fault<MirrorRepository>>(Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_env.WorkDirectory));
    }

    [Fact]
    public async Task MirrorRepository_WithRefusedOneDevToken_PublishesPermanentFailureWithoutToken()
    {
        const string wrongToken = "feedfacefeedfacefeedfacefeedfacefeedface";
        var (repository, _) = await _env.CreateSourceAsync("octo", "refused", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        var harness = await StartHarnessAsync(new Dictionary<string, string?> { ["OneDev:Token"] = wrongToken });

        await harness.Bus.Publish(command, Ct);

        var failed = await Single<RepositoryMirrorFailed>(harness, command.MirrorId);
        Assert.False(failed.Transient, failed.Reason);
        Assert.DoesNotContain(wrongToken, failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongToken, _env.Logs.All, StringComparison.Ordinal);
        Assert.Contains(_env.Logs.Lines, l => l.Contains("[3005]", StringComparison.Ordinal));
        Assert.True(await harness.Published.Any<RepositoryMirrorStarted>(Ct));
        Assert.False(await harness.Published.Any<RepositoryMirrored>(Ct));
        Assert.False(await harness.Published.Any<Fault<MirrorRepository>>(Ct));
    }

    [Fact]
    public async Task MirrorRepository_ThatOutlivesTheJobTimeout_PublishesTransientTimeout()
    {
        // A "OneDev" that accepts git connections and never answers.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var (repository, _) = await _env.CreateSourceAsync("octo", "slow", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        command = command with { OneDevGitUrl = $"http://127.0.0.1:{port}/github/octo/slow.git" };
        var harness = await StartHarnessAsync(new Dictionary<string, string?> { ["GitWorker:JobTimeout"] = "00:00:02" });

        await harness.Bus.Publish(command, Ct);

        var failed = await Single<RepositoryMirrorFailed>(harness, command.MirrorId);
        Assert.True(failed.Transient, failed.Reason);
        Assert.Equal("mirror timed out after 00:00:02", failed.Reason);
        Assert.False(await harness.Published.Any<Fault<MirrorRepository>>(Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_env.WorkDirectory));
    }

    [Fact]
    public async Task HungLsRemote_FailsAfterItsOwnBound_AndFreesTheJobLongBeforeTheJobTimeout()
    {
        // A "OneDev" that accepts git connections and never answers, under the default 30-minute job timeout.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var (repository, _) = await _env.CreateSourceAsync("octo", "hung", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        command = command with { OneDevGitUrl = $"http://127.0.0.1:{port}/github/octo/hung.git" };
        var provider = _env.BuildServices(
            new Dictionary<string, string?> { ["GitWorker:JobTimeout"] = "00:30:00", ["GitWorker:LsRemoteTimeout"] = "00:00:02" },
            s => s.AddTransient<MirrorRepositoryConsumer>());
        var (context, recorder) = RecordingConsumeContext.Create(command, Ct);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await provider.GetRequiredService<MirrorRepositoryConsumer>().Consume(context).WaitAsync(TimeSpan.FromSeconds(60), Ct);

        var failed = Assert.IsType<RepositoryMirrorFailed>(recorder.Published.Last());
        Assert.True(failed.Transient, failed.Reason);
        Assert.Equal("list the mirror's refs failed: git ls-remote did not finish within 00:00:02 (GitWorker:LsRemoteTimeout) and was killed", failed.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the job took {clock.Elapsed}");
        // The job's slot and its repository are free again: no lease, no git process left in the cache.
        var cache = provider.GetRequiredService<MirrorCache>();
        Assert.Equal(0, cache.TrackedRepositories);
        using (var lease = await cache.AcquireAsync(repository.Id, Ct).WaitAsync(TimeSpan.FromSeconds(5), Ct))
        {
            Assert.EndsWith($"{repository.Id}.git", lease.Directory, StringComparison.Ordinal);
        }
        await StarSync.Testing.Eventually.UntilAsync(() => GitProcesses.Under(_env.CacheDirectory).Count == 0, TimeSpan.FromSeconds(15),
            "no git process is left in the cache", Ct);
    }

    [Fact]
    public async Task HostShutdown_DuringMirror_PropagatesCancellationWithoutVerdict()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptTcpClientAsync(Ct).AsTask();
        var (repository, _) = await _env.CreateSourceAsync("octo", "shutdown", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        command = command with { OneDevGitUrl = $"http://127.0.0.1:{port}/github/octo/shutdown.git" };
        var provider = _env.BuildServices(configure: s => s.AddTransient<MirrorRepositoryConsumer>());
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var (context, recorder) = RecordingConsumeContext.Create(command, stopping.Token);

        var consume = provider.GetRequiredService<MirrorRepositoryConsumer>().Consume(context);
        using var connection = await accepted.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consume);
        Assert.IsType<RepositoryMirrorStarted>(Assert.Single(recorder.Published));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_env.WorkDirectory));
    }

    private async Task<ITestHarness> StartHarnessAsync(IDictionary<string, string?>? settings = null)
    {
        var provider = _env.BuildServices(settings, services => services.AddMassTransitTestHarness(x =>
        {
            x.AddConsumer<MirrorRepositoryConsumer, MirrorRepositoryConsumerDefinition>();
            x.SetTestTimeouts(testTimeout: TimeSpan.FromMinutes(2), testInactivityTimeout: TimeSpan.FromSeconds(5));
        }));
        var harness = provider.GetRequiredService<ITestHarness>();
        await harness.Start();
        return harness;
    }

    private static async Task<T> Single<T>(ITestHarness harness, Guid mirrorId)
        where T : class
    {
        Assert.True(await harness.Published.Any<T>(Ct), $"{typeof(T).Name} was not published");
        return Assert.Single(harness.Published.Select<T>(Ct), m => MirrorIdOf(m.Context.Message) == mirrorId).Context.Message;
    }

    private static Guid MirrorIdOf(object message) => message switch
    {
        RepositoryMirrorStarted m => m.MirrorId,
        RepositoryMirrored m => m.MirrorId,
        RepositoryMirrorFailed m => m.MirrorId,
        _ => Guid.Empty,
    };
}
