using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using StarSync.Testing;

namespace StarSync.EndToEnd.Soak;

/// <summary>
/// A soak: the three services on a fresh database and virtual host (two GitWorkers, the star poller on), a workload of
/// stars, pushes, force-pushes, renames and unstars against the emulators while faults are injected, then the faults
/// stop, everything is brought back, and the invariants (<see cref="SoakInvariants"/>) are checked once the system has
/// settled or the settle timeout has passed. The tests and the soak program (tests/StarSync.Soak) both run this.
/// </summary>
public static class SoakRun
{
    public static async Task<SoakReport> RunAsync(TestServers servers, SoakOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(options);
        var total = Stopwatch.StartNew();
        var report = new SoakReport { Seed = options.Seed, UnstarPolicy = options.EffectiveUnstarPolicy };
        var lines = new ConcurrentQueue<string>();
        void Log(string line)
        {
            var stamped = $"{total.Elapsed:mm\\:ss\\.f} {line}";
            lines.Enqueue(stamped);
            options.Log(stamped);
        }

        Log($"soak seed {options.Seed}: {options.ChaosDuration.TotalSeconds:0} s of chaos, unstar policy {report.UnstarPolicy}");
        await using var stack = await StarSyncStack.StartAsync(servers, orchestrators: 1, gitWorkers: options.GitWorkers,
            orchestratorSettings: OrchestratorSettings(report.UnstarPolicy), starPoller: true,
            gitWorkerSettings: OneDevTimeout, ct: ct);
        try
        {
            var workload = new SoakWorkload(stack, options, report, new Random(options.Seed), Log);
            var chaos = new SoakChaos(stack, servers, report, new Random(unchecked(options.Seed * 31 + 7)), Log);
            await workload.SetUpAsync(ct);

            Log("chaos begins");
            var chaosClock = Stopwatch.StartNew();
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                stop.CancelAfter(options.ChaosDuration);
                await Task.WhenAll(workload.RunAsync(stop.Token, ct), chaos.RunAsync(stop.Token, ct));
            }
            report.ChaosDuration = chaosClock.Elapsed;
            Log("chaos ends; bringing every service back");
            await chaos.HealAsync(options.GitWorkers, ct);

            var settleClock = Stopwatch.StartNew();
            report.FinalCheck = await SettleAsync(stack, servers, workload.Repositories, report.UnstarPolicy, options.SettleTimeout, Log, ct);
            report.SettleDuration = settleClock.Elapsed;
            Log(report.FinalCheck.Settled ? "settled" : $"not settled: {string.Join("; ", report.FinalCheck.Unsettled)}");
            foreach (var unsettled in report.FinalCheck.Unsettled)
            {
                report.Problem($"still moving after {options.SettleTimeout.TotalSeconds:0} s of quiet: {unsettled}");
            }
        }
        finally
        {
            report.TotalDuration = total.Elapsed;
            report.OutputDirectory = await WriteOutputAsync(stack, report, lines, options, CancellationToken.None);
        }
        return report;
    }

    /// <summary>Checks until the system has settled and every invariant holds, or the timeout passes (then the last check stands).</summary>
    private static async Task<SoakCheck> SettleAsync(StarSyncStack stack, TestServers servers, IReadOnlyList<SoakRepository> repositories,
        string unstarPolicy, TimeSpan timeout, Action<string> log, CancellationToken ct)
    {
        SoakCheck? last = null;
        try
        {
            await Eventually.UntilAsync(async () =>
            {
                last = await SoakInvariants.CheckAsync(stack, servers, repositories, unstarPolicy, full: false, ct);
                return last.Settled && last.Violations.Count == 0 && last.MirrorsChecked > 0;
            }, timeout, "every saga has settled and every invariant holds", ct);
        }
        catch (TimeoutException ex)
        {
            log($"{ex.Message} Last look: {(last is null ? "none" : string.Join("; ", [.. last.Unsettled, .. last.Violations]))}");
        }
        // The verdict is always a full check of everything at one moment.
        return await SoakInvariants.CheckAsync(stack, servers, repositories, unstarPolicy, full: true, ct);
    }

    private static readonly Dictionary<string, string?> OneDevTimeout = new()
    {
        ["OneDev__RequestTimeout"] = "00:00:03",
    };

    /// <summary>Deadlines and retries that act within a soak's time; the retry budget outlasts any one fault.</summary>
    private static Dictionary<string, string?> OrchestratorSettings(string unstarPolicy) => new(OneDevTimeout)
    {
        ["Mirroring__UnstarPolicy"] = unstarPolicy,
        ["Mirroring__ProjectDeadline"] = "00:00:15",
        ["Mirroring__QueueDeadline"] = "00:00:30",
        ["Mirroring__MirrorDeadline"] = "00:01:00",
        ["Mirroring__RetryBaseDelay"] = "00:00:01",
        ["Mirroring__RetryMaxDelay"] = "00:00:05",
        ["Mirroring__MaxRetries"] = "12",
        ["Mirroring__MaxRedrives"] = "6",
        ["Sweeper__Interval"] = "00:00:01",
        // The Orchestrator's star poller looks for new stars every 5 s and for vanished ones every 15 s.
        ["Stars__ReconcileInterval"] = "00:00:15",
    };


    private static async Task<string> WriteOutputAsync(StarSyncStack stack, SoakReport report, IEnumerable<string> lines,
        SoakOptions options, CancellationToken ct)
    {
        var directory = options.OutputDirectory ?? Path.Combine(Path.GetTempPath(), "starsync-soak",
            $"{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-seed-{options.Seed}");
        Directory.CreateDirectory(directory);
        await File.WriteAllLinesAsync(Path.Combine(directory, "soak.log"), lines, ct);
        foreach (var process in stack.Processes)
        {
            var name = process.ToString().Split(' ')[0] + "-" + process.Pid.ToString(CultureInfo.InvariantCulture) + ".log";
            await File.WriteAllLinesAsync(Path.Combine(directory, name), process.Output, ct);
        }
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "history.tsv"), await SoakInvariants.HistoryAsync(stack.Postgres, ct), ct);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or System.Net.Sockets.SocketException)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "history.tsv"), $"unreadable: {ex.Message}", ct);
        }
        report.OutputDirectory = directory;
        await File.WriteAllTextAsync(Path.Combine(directory, "report.txt"), report.ToString(), ct);
        return directory;
    }
}
