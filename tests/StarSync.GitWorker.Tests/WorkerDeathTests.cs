using System.Diagnostics;

using MassTransit;

using StarSync.GitWorker.Tests.Support;
using StarSync.ServiceDefaults;
using StarSync.Testing;

namespace StarSync.GitWorker.Tests;

/// <summary>
/// The real GitWorker process, killed outright in the middle of a push: its git processes die with it, so the push
/// never lands behind the back of the worker that takes the redelivered command.
/// </summary>
[Trait("Category", "Integration")]
public sealed class WorkerDeathTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private MirrorEnvironment _env = null!;
    private RabbitMqServer _rabbitMq = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var environment = MirrorEnvironment.StartAsync(Ct);
        var rabbitMq = RabbitMqServer.StartAsync(Ct);
        _env = await environment;
        _rabbitMq = await rabbitMq;
    }

    public async ValueTask DisposeAsync()
    {
        await _rabbitMq.DisposeAsync();
        await _env.DisposeAsync();
    }

    [Fact]
    public async Task WorkerKilledDuringItsPush_LeavesNoGitProcessBehind_AndThePushNeverLands()
    {
        var connection = await _rabbitMq.CreateVirtualHostAsync("gitworker-death", Ct);
        var virtualHost = RabbitMqAddress.Parse(connection).VirtualHost;
        var cache = _env.CreateDirectory("worker-cache");
        var (repository, _) = await _env.CreateSourceAsync("octo", "orphans", Ct);
        var command = await _env.CreateTargetAsync(repository, Ct);
        await using var worker = ServiceProcess.Start("StarSync.GitWorker", new Dictionary<string, string?>
        {
            ["ConnectionStrings__rabbitmq"] = connection,
            ["OneDev__Url"] = _env.OneDev.BaseUrl.ToString(),
            ["OneDev__Token"] = _env.OneDev.Token,
            ["GitHub__Token"] = _env.GitHub.Token,
            ["GitHub__ApiUrl"] = _env.GitHub.ApiUrl.ToString(),
            ["GitWorker__WorkDirectory"] = _env.WorkDirectory,
            ["GitWorker__CacheDirectory"] = cache,
        });
        await worker.WaitForHealthyAsync(Timeout, Ct);
        await Eventually.UntilAsync(async () => (await _rabbitMq.ListQueuesAsync(virtualHost, Ct)).Any(q => q.Name == "mirror-repository" && q.Consumers >= 1),
            Timeout, "the worker consumes mirror-repository", Ct);

        // OneDev holds the push: the worker's git push is on the wire, waiting for an answer, when the worker dies.
        _env.OneDev.PauseReceivePacks();
        await PublishAsync(connection, command);
        await Eventually.UntilAsync(() => _env.OneDev.ReceivePacksWaiting >= 1, Timeout, "the worker's push reaches OneDev", Ct);
        var pushing = GitProcesses.Under(cache);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', pushing));
        Assert.Contains(pushing, p => p.Contains(" push ", StringComparison.Ordinal));

        // SIGKILL to the worker alone: nobody gets to clean up, and nothing else is signalled.
        using (var process = Process.GetProcessById(worker.Pid))
        {
            process.Kill(entireProcessTree: false);
        }
        await Eventually.UntilAsync(() => worker.HasExited, Timeout, "the worker is gone", Ct);

        await Eventually.UntilAsync(() => GitProcesses.Under(cache).Count == 0, TimeSpan.FromSeconds(30),
            "no git process of the killed worker is left", Ct);
        // OneDev sees its client go; pushes let through now find nobody left to finish them.
        await Eventually.UntilAsync(() => _env.OneDev.ReceivePacksWaiting == 0, Timeout, "OneDev drops the held push", Ct);
        _env.OneDev.ResumeReceivePacks();
        Assert.Empty(await _env.MirrorRefsAsync(command, Ct));
        Assert.Equal(0, _env.OneDev.ReceivePackCount(MirrorEnvironment.TargetPath(repository)));
    }

    private static async Task PublishAsync(string connection, object message)
    {
        var address = RabbitMqAddress.Parse(connection);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
        {
            h.Username(address.Username);
            h.Password(address.Password);
        }));
        await bus.StartAsync(Ct);
        try
        {
            await bus.Publish(message, message.GetType(), Ct);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
