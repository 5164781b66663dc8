using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace StarSync.Testing;

/// <summary>
/// A private RabbitMQ node (management and shovel plugins) in a temporary directory: its own node name, cookie,
/// ports on 127.0.0.1 and mnesia directory, so it is isolated from any system node and from other test assemblies.
/// Tests create a virtual host each.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    public const string UserName = "guest";
    public const string Password = "guest";

    private const string BinDirectory = "/usr/lib/rabbitmq/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory;
    private readonly Dictionary<string, string?> _environment;
    private readonly HttpClient _http;
    private readonly Guid _exitGuard;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private int _disposed;

    private RabbitMqServer(TempDirectory directory, int amqpPort, int managementPort, int distributionPort)
    {
        _directory = directory;
        NodeName = $"starsync-test-{RandomNumberGenerator.GetHexString(8, lowercase: true)}@localhost";
        AmqpPort = amqpPort;
        ManagementPort = managementPort;
        DistributionPort = distributionPort;
        ManagementUrl = new Uri($"http://127.0.0.1:{managementPort}/");
        _environment = WriteConfiguration();
        _http = new HttpClient { BaseAddress = new Uri(ManagementUrl, "api/"), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}")));
        _exitGuard = ExitGuard.Register(KillNode);
    }

    public string NodeName { get; }

    public int AmqpPort { get; }

    public int ManagementPort { get; }

    public int DistributionPort { get; }

    /// <summary>Base address of the management UI and HTTP API (<c>api/</c> below it); user guest/guest.</summary>
    public Uri ManagementUrl { get; }

    /// <summary>How long the last (re)start took until the node and the management API answered.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>The node's temporary directory (config, cookie, mnesia, logs).</summary>
    public string DirectoryPath => _directory.Path;

    private string PidFile => Path.Combine(_directory.Path, "rabbitmq.pid");

    private string OutputFile => Path.Combine(_directory.Path, "server-output.log");

    private string NodeLogFile => Path.Combine(_directory.Path, "log", NodeName + ".log");

    /// <summary>Starts a new node; retries with other ports if one was taken meanwhile.</summary>
    public static async Task<RabbitMqServer> StartAsync(CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var directory = new TempDirectory("rmq");
            RabbitMqServer? server = null;
            try
            {
                var ports = DistinctFreePorts(3);
                server = new RabbitMqServer(directory, ports[0], ports[1], ports[2]);
                await server.StartNodeAsync(ct).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException e) when (attempt < 3 && IsPortConflict(e.Message))
            {
                await DisposeAfterFailedStartAsync(server, directory).ConfigureAwait(false);
            }
            catch
            {
                await DisposeAfterFailedStartAsync(server, directory).ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Creates a uniquely named virtual host through the management API, grants guest full permissions on it and
    /// returns the connection string <c>amqp://guest:guest@127.0.0.1:port/vhost</c>.
    /// </summary>
    public async Task<string> CreateVirtualHostAsync(string prefix, CancellationToken ct = default)
    {
        var name = UniqueName(prefix);
        var escaped = Uri.EscapeDataString(name);
        using (var response = await _http.PutAsJsonAsync($"vhosts/{escaped}", new { }, ct).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(response, $"create virtual host {name}", ct).ConfigureAwait(false);
        }
        var permissions = new { configure = ".*", write = ".*", read = ".*" };
        using (var response = await _http.PutAsJsonAsync($"permissions/{escaped}/{UserName}", permissions, ct).ConfigureAwait(false))
        {
            await EnsureSuccessAsync(response, $"grant {UserName} permissions on {name}", ct).ConfigureAwait(false);
        }
        return $"amqp://{UserName}:{Password}@127.0.0.1:{AmqpPort}/{escaped}";
    }

    /// <summary>
    /// The queues of a virtual host from the management API. Message counts come from statistics that the node
    /// refreshes every 500 ms, so poll them with <see cref="Eventually"/> rather than asserting once.
    /// </summary>
    public async Task<IReadOnlyList<QueueInfo>> ListQueuesAsync(string vhost, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync(
            $"queues/{Uri.EscapeDataString(vhost)}?columns=name,messages,consumers,type", ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"list queues of {vhost}", ct).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
        return [.. document.RootElement.EnumerateArray().Select(ToQueueInfo)];
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> messages of a queue without consuming them (they are requeued), as the
    /// management UI's "Get messages" does: for tests that explain a failure with what sits in an <c>_error</c> queue.
    /// Returns each message's headers and payload as JSON text.
    /// </summary>
    public async Task<IReadOnlyList<string>> PeekMessagesAsync(string vhost, string queue, int count, CancellationToken ct = default)
    {
        var request = new { count, ackmode = "ack_requeue_true", encoding = "auto", truncate = 4000 };
        using var response = await _http.PostAsJsonAsync(
            $"queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}/get", request, ct).ConfigureAwait(false);
        await EnsureSuccessAsync(response, $"peek at queue {queue} of {vhost}", ct).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(
            await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
        return [.. document.RootElement.EnumerateArray().Select(m =>
            $"{m.GetProperty("properties").GetRawText()} {m.GetProperty("payload").GetString()}")];
    }

    /// <summary>
    /// Ready plus unacknowledged messages of one queue from the management statistics (refreshed every 500 ms; poll
    /// with <see cref="Eventually"/>). Waits up to 30 s for the first statistics of a new or just recovered queue,
    /// so it never reports 0 for "not known yet". Throws if the queue does not exist.
    /// </summary>
    public async Task<int> GetMessageCountAsync(string vhost, string queue, CancellationToken ct = default)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await _http.GetAsync(
                $"queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}", ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"Queue '{queue}' does not exist in virtual host '{vhost}'.");
            }
            await EnsureSuccessAsync(response, $"read queue {queue} of {vhost}", ct).ConfigureAwait(false);
            using var document = await JsonDocument.ParseAsync(
                await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
            if (ToQueueInfo(document.RootElement).Messages is { } messages)
            {
                return messages;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"RabbitMQ published no statistics for queue '{queue}' in '{vhost}' within 30 s.");
            }
            await Task.Delay(Eventually.PollInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Runs <c>rabbitmqctl -n node ...</c> against this node and returns its standard output.</summary>
    public async Task<string> RabbitMqCtlAsync(IEnumerable<string> arguments, CancellationToken ct = default)
    {
        var result = await RunCtlAsync(arguments, ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rabbitmqctl {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardOutput}{result.StandardError}");
        }
        return result.StandardOutput;
    }

    /// <summary>
    /// Stops the whole node gracefully and waits until its OS process has exited; mnesia (durable queues and their
    /// messages) stays for <see cref="StartAgainAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (!await StopNodeAsync(StopTimeout, graceful: true).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"RabbitMQ node {NodeName} did not stop within {StopTimeout}; killed it.");
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Starts the stopped node again: same node name, ports and mnesia directory, so durable queues survive.</summary>
    public async Task StartAgainAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_process is { HasExited: false })
            {
                throw new InvalidOperationException($"RabbitMQ node {NodeName} is still running.");
            }
            await StartNodeCoreAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Kills the node (SIGKILL to the beam process, then to whatever is left of the process tree; the data is thrown
    /// away, and a graceful stop costs ~6 s) and deletes its directory.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        ExitGuard.Unregister(_exitGuard);
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopNodeAsync(TimeSpan.FromSeconds(10), graceful: false).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
        _http.Dispose();
        _lifecycle.Dispose();
        _directory.Dispose();
    }

    public override string ToString() => $"RabbitMQ {NodeName} amqp://127.0.0.1:{AmqpPort} {ManagementUrl}";

    private async Task StartNodeAsync(CancellationToken ct)
    {
        await _lifecycle.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await StartNodeCoreAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task StartNodeCoreAsync(CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        File.Delete(PidFile);
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = _directory.Path,
        };
        // Output goes to a file, not a pipe: the node may hand inherited descriptors to daemons (epmd).
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$0\" >>\"$1\" 2>&1 </dev/null");
        startInfo.ArgumentList.Add(Path.Combine(BinDirectory, "rabbitmq-server"));
        startInfo.ArgumentList.Add(OutputFile);
        ApplyEnvironment(startInfo);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start rabbitmq-server.");
        _process = process;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StartTimeout);
        try
        {
            var seconds = ((int)StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var wait = RunCtlAsync(["wait", PidFile, "--timeout", seconds], timeout.Token);
            var exited = process.WaitForExitAsync(timeout.Token);
            if (await Task.WhenAny(wait, exited).ConfigureAwait(false) == exited || process.HasExited)
            {
                await exited.ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"RabbitMQ node {NodeName} exited during start with code {process.ExitCode}.\n{DescribeLogs()}");
            }
            var result = await wait.ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"RabbitMQ node {NodeName} did not start: {result.StandardOutput}{result.StandardError}\n{DescribeLogs()}");
            }
            await Eventually.UntilAsync(
                async () =>
                {
                    using var response = await _http.GetAsync("overview", timeout.Token).ConfigureAwait(false);
                    return response.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(30),
                $"the management API of {NodeName} answers",
                timeout.Token).ConfigureAwait(false);
            LastStartDuration = stopwatch.Elapsed;
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            KillNode();
            throw new InvalidOperationException(
                $"RabbitMQ node {NodeName} did not start within {StartTimeout}.\n{DescribeLogs()}", e);
        }
        catch
        {
            KillNode();
            throw;
        }
    }

    /// <summary>
    /// Graceful: SIGTERM to rabbitmq-server, whose signal handler stops the node properly, and SIGKILL after
    /// <paramref name="timeout"/>. Not graceful: SIGKILL to the beam process first (so the script reaps it and
    /// exits), then to the tree. Returns false if a graceful stop ended in a kill.
    /// </summary>
    private async Task<bool> StopNodeAsync(TimeSpan timeout, bool graceful)
    {
        var process = _process;
        if (process is null)
        {
            return true;
        }
        var stopped = true;
        if (!process.HasExited)
        {
            if (graceful)
            {
                NativeMethods.Signal(process.Id, NativeMethods.SigTerm);
            }
            else
            {
                KillBeam();
            }
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                stopped = !graceful;
                KillNode();
                using var killDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await process.WaitForExitAsync(killDeadline.Token).ConfigureAwait(false);
            }
        }
        // The beam process itself, should the script have died without taking it along.
        KillNode();
        process.Dispose();
        _process = null;
        return stopped;
    }

    private Task<ProcessResult> RunCtlAsync(IEnumerable<string> arguments, CancellationToken ct) =>
        ProcessRunner.RunAsync(
            Path.Combine(BinDirectory, "rabbitmqctl"),
            ["-n", NodeName, .. arguments],
            _environment,
            _directory.Path,
            ct: ct);

    /// <summary>SIGKILLs the beam process named in the pid file and then the process tree started for the node.</summary>
    private void KillNode()
    {
        KillBeam();
        if (_process is { } process)
        {
            ProcessRunner.TryKill(process);
        }
    }

    private void KillBeam()
    {
        try
        {
            if (File.Exists(PidFile)
                && int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && File.Exists($"/proc/{pid}/cmdline")
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains(_directory.Path, StringComparison.Ordinal))
            {
                NativeMethods.Signal(pid, NativeMethods.SigKill);
            }
        }
        catch (IOException)
        {
            // The process went away while we looked.
        }
    }

    private string DescribeLogs() => $"{ProcessRunner.Tail(OutputFile)}\n{ProcessRunner.Tail(NodeLogFile)}";

    private Dictionary<string, string?> WriteConfiguration()
    {
        var dir = _directory.Path;
        var configFile = Path.Combine(dir, "rabbitmq.conf");
        File.WriteAllText(configFile, string.Join('\n',
            $"listeners.tcp.1 = 127.0.0.1:{AmqpPort}",
            $"management.tcp.port = {ManagementPort}",
            "management.tcp.ip = 127.0.0.1",
            "loopback_users = none",
            // Long git mirrors must not be cut off by the broker's default 30-minute delivery acknowledgement timeout.
            "consumer_timeout = 7200000",
            // Fresher queue statistics for ListQueuesAsync/GetMessageCountAsync (default 5000 ms).
            "collect_statistics_interval = 500",
            "log.console = false",
            ""));
        var pluginsFile = Path.Combine(dir, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].\n");
        // An empty env file so /etc/rabbitmq/rabbitmq-env.conf of a system installation is not read.
        var envFile = Path.Combine(dir, "rabbitmq-env.conf");
        File.WriteAllText(envFile, "");
        var cookieFile = Path.Combine(dir, ".erlang.cookie");
        File.WriteAllText(cookieFile, RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 32));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(cookieFile, UnixFileMode.UserRead);
        }

        return new Dictionary<string, string?>
        {
            ["HOME"] = dir,
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(dir, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(dir, "log"),
            ["RABBITMQ_CONFIG_FILE"] = configFile,
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(dir, "advanced.config"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = pluginsFile,
            ["RABBITMQ_PID_FILE"] = PidFile,
            ["RABBITMQ_CONF_ENV_FILE"] = envFile,
            // Erlang distribution (node <-> rabbitmqctl) on loopback only.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["ERL_CRASH_DUMP"] = Path.Combine(dir, "erl_crash.dump"),
        };
    }

    private void ApplyEnvironment(ProcessStartInfo startInfo)
    {
        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            if (name.StartsWith("RABBITMQ_", StringComparison.Ordinal) || name.StartsWith("ERL_", StringComparison.Ordinal))
            {
                startInfo.Environment.Remove(name);
            }
        }
        ProcessRunner.Apply(startInfo, _environment);
    }

    private static QueueInfo ToQueueInfo(JsonElement queue) => new(
        queue.GetProperty("name").GetString() ?? "",
        queue.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt32() : null,
        queue.TryGetProperty("consumers", out var consumers) && consumers.ValueKind == JsonValueKind.Number ? consumers.GetInt32() : 0,
        queue.TryGetProperty("type", out var type) ? type.GetString() ?? "" : "");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string action, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            throw new InvalidOperationException($"RabbitMQ management API could not {action}: {(int)response.StatusCode} {body}");
        }
    }

    private static bool IsPortConflict(string message) =>
        message.Contains("eaddrinuse", StringComparison.OrdinalIgnoreCase)
        || message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    private static int[] DistinctFreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePort.Next());
        }
        return [.. ports];
    }

    private static async Task DisposeAfterFailedStartAsync(RabbitMqServer? server, TempDirectory directory)
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            directory.Dispose();
        }
    }

    private static string UniqueName(string prefix)
    {
        var clean = new string(prefix.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-').ToArray());
        return $"{(clean.Length == 0 ? "vhost" : clean)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";
    }
}
