using StarSync.Testing;

namespace StarSync.EndToEnd.Soak;

/// <summary>
/// Faults, one at a time with random pauses: SIGKILL of Ingress, the Orchestrator or a GitWorker (restarted after a
/// moment with the same settings), RabbitMQ and PostgreSQL stopped and started, and OneDev and GitHub answering errors,
/// hanging or rate-limiting (the emulators' fault injection).
/// </summary>
internal sealed class SoakChaos(StarSyncStack stack, TestServers servers, SoakReport report, Random random, Action<string> log)
{
    /// <summary>How many kinds of fault <see cref="InjectAsync"/> knows.</summary>
    private const int Kinds = 10;

    private const string Ingress = "StarSync.Ingress";
    private const string Orchestrator = "StarSync.Orchestrator";
    private const string GitWorker = "StarSync.GitWorker";

    public async Task RunAsync(CancellationToken stop, CancellationToken ct)
    {
        var deck = new List<int>(Kinds);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(random.Next(2_000, 8_000), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            if (deck.Count == 0)
            {
                // Every kind once per round, in a random order: even a short soak sees each of them.
                deck.AddRange(Enumerable.Range(0, Kinds).OrderBy(_ => random.Next()));
            }
            var kind = deck[^1];
            deck.RemoveAt(deck.Count - 1);
            try
            {
                await InjectAsync(kind, ct);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                report.Problem($"the system did not recover from a fault: {ex.Message}");
                log($"fault recovery failed: {ex}");
            }
        }
    }

    /// <summary>Every service runs again, RabbitMQ and PostgreSQL are up, and no emulator fault is pending.</summary>
    public async Task HealAsync(int gitWorkers, CancellationToken ct)
    {
        ClearEmulatorFaults();
        foreach (var role in new[] { Ingress, Orchestrator, GitWorker })
        {
            var processes = ProcessesOf(role);
            var wanted = role == GitWorker ? gitWorkers : 1;
            for (var missing = wanted - processes.Count(p => !p.HasExited); missing > 0; missing--)
            {
                log($"heal: starting another {role}");
                await stack.StartLikeAsync(processes[^1], ct);
            }
        }
        await stack.WaitForConsumersAsync(new Dictionary<string, int>
        {
            ["mirror-state"] = 1,
            ["create-one-dev-project"] = 1,
            ["mirror-repository"] = gitWorkers,
        }, ct);
    }

    private async Task InjectAsync(int kind, CancellationToken ct)
    {
        switch (kind)
        {
            case 0:
                await KillAndRestartAsync(Ingress, "kill-ingress", ct);
                break;
            case 1:
                await KillAndRestartAsync(Orchestrator, "kill-orchestrator", ct);
                break;
            case 2:
                await KillAndRestartAsync(GitWorker, "kill-gitworker", ct);
                break;
            case 3:
                await StopAndStartAsync("restart-rabbitmq", "RabbitMQ", servers.RabbitMq.StopAsync, servers.RabbitMq.StartAgainAsync, ct);
                break;
            case 4:
                await StopAndStartAsync("restart-postgres", "PostgreSQL", servers.Postgres.StopAsync, servers.Postgres.StartAgainAsync, ct);
                break;
            case 5:
                var restStatus = random.Next(2) == 0 ? 500 : 503;
                Emulate("onedev-rest-error", $"OneDev answers {restStatus} to the next {{0}} REST requests", 3, n => stack.OneDev.FailNextRestRequests(n, restStatus));
                break;
            case 6:
                Emulate("onedev-rest-hang", "OneDev hangs on the next {0} REST requests", 2, stack.OneDev.HangNextRestRequests);
                break;
            case 7:
                Emulate("onedev-git-error", "OneDev answers 500 to the next {0} git requests", 2, n => stack.OneDev.FailNextGitRequests(n, 500));
                break;
            case 8:
                var gitStatus = random.Next(2) == 0 ? 500 : 429;
                Emulate("github-git-error", $"GitHub answers {gitStatus} to the next {{0}} git requests", 3, n => stack.GitHub.FailNextGitRequests(n, gitStatus));
                break;
            default:
                var (seconds, limitStatus) = (random.Next(1, 4), random.Next(2) == 0 ? 403 : 429);
                Emulate("github-rate-limit", $"GitHub's secondary rate limit ({limitStatus}, retry after {seconds} s) on the next {{0}} REST requests", 3,
                    n => stack.GitHub.SecondaryRateLimitNext(n, seconds, limitStatus));
                break;
        }
    }

    /// <summary>An emulator fault for the next 1 to <paramref name="most"/> requests; <paramref name="what"/> has {0} for the count.</summary>
    private void Emulate(string fault, string what, int most, Action<int> inject)
    {
        var count = random.Next(1, most + 1);
        report.Fault(fault);
        log("fault: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, what, count));
        inject(count);
    }

    private async Task StopAndStartAsync(string fault, string server, Func<Task> stop, Func<Task> start, CancellationToken ct)
    {
        report.Fault(fault);
        log($"fault: {server} stopped");
        await stop();
        await PauseAsync(ct);
        await start();
        log($"fault: {server} started again");
    }

    private async Task KillAndRestartAsync(string role, string fault, CancellationToken ct)
    {
        var running = ProcessesOf(role).Where(p => !p.HasExited).ToList();
        if (running.Count == 0)
        {
            return;
        }
        var victim = running[random.Next(running.Count)];
        report.Fault(fault);
        log($"fault: SIGKILL {victim}");
        victim.Kill();
        await Eventually.UntilAsync(() => victim.HasExited, TimeSpan.FromSeconds(30), $"{victim} is gone", ct);
        await PauseAsync(ct);
        var replacement = await stack.StartLikeAsync(victim, ct);
        log($"fault: {replacement} started in its place");
    }

    /// <summary>How long a killed service or a stopped server stays down: part of the fault, not a wait for a result.</summary>
    private Task PauseAsync(CancellationToken ct) => Task.Delay(random.Next(0, 4_000), ct);

    private List<ServiceProcess> ProcessesOf(string role) => role switch
    {
        Ingress => [.. stack.Ingresses],
        Orchestrator => [.. stack.Orchestrators],
        _ => [.. stack.GitWorkers],
    };

    private void ClearEmulatorFaults()
    {
        stack.OneDev.FailNextRestRequests(0);
        stack.OneDev.HangNextRestRequests(0);
        stack.OneDev.FailNextGitRequests(0);
        stack.GitHub.FailNextGitRequests(0);
        stack.GitHub.SecondaryRateLimitNext(0, 0);
    }
}
