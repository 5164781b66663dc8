using Npgsql;
using StarSync.Emulators;
using StarSync.ServiceDefaults;
using StarSync.Testing;

namespace StarSync.EndToEnd;

/// <summary>
/// The three StarSync services as separate processes on a fresh database and virtual host, against the OneDev
/// and GitHub emulators. Processes are started from the services' own build output.
/// </summary>
public sealed class StarSyncStack : IAsyncDisposable
{
    public const string WebhookSecret = "end-to-end-webhook-secret";

    // Guarded by _gate: a soak restarts services while its workload reads Ingress's address.
    private readonly Lock _gate = new();
    private readonly List<ServiceProcess> _processes = [];
    private readonly Dictionary<ServiceProcess, (string Project, IDictionary<string, string?> Environment)> _started = [];
    private readonly TestServers _servers;
    private readonly TempDirectory _work = new("e2e");
    /// <summary>Settings every service gets (telemetry, for one), unless its own settings say otherwise.</summary>
    private IReadOnlyDictionary<string, string?> _everyService = new Dictionary<string, string?>();

    private StarSyncStack(TestServers servers, string postgres, string rabbit, OneDevEmulator oneDev, GitHubEmulator gitHub)
    {
        _servers = servers;
        Postgres = postgres;
        RabbitMq = rabbit;
        OneDev = oneDev;
        GitHub = gitHub;
    }

    public string Postgres { get; }
    public string RabbitMq { get; }
    public string VirtualHost => RabbitMqAddress.Parse(RabbitMq).VirtualHost;
    public OneDevEmulator OneDev { get; }
    public GitHubEmulator GitHub { get; }
    /// <summary>Every process started so far (killed or stopped ones included), in start order.</summary>
    public IReadOnlyList<ServiceProcess> Processes
    {
        get
        {
            lock (_gate)
            {
                return [.. _processes];
            }
        }
    }

    /// <summary>The Ingress process started last (the replacement, after a crash).</summary>
    public ServiceProcess Ingress => Ingresses[^1];

    /// <summary>The Ingress processes started so far (killed or stopped ones included), in start order.</summary>
    public IReadOnlyList<ServiceProcess> Ingresses => ProcessesOf("StarSync.Ingress");

    /// <summary>The Orchestrator processes started so far (killed or stopped ones included), in start order.</summary>
    public IReadOnlyList<ServiceProcess> Orchestrators => ProcessesOf("StarSync.Orchestrator");

    /// <summary>The GitWorker processes started so far (killed or stopped ones included), in start order.</summary>
    public IReadOnlyList<ServiceProcess> GitWorkers => ProcessesOf("StarSync.GitWorker");

    /// <summary>Starts the emulators and the services, and waits until every consumer is attached to its queue.</summary>
    public static async Task<StarSyncStack> StartAsync(TestServers servers, int orchestrators = 1, int gitWorkers = 1,
        IReadOnlyDictionary<string, string?>? orchestratorSettings = null,
        bool starPoller = false, IReadOnlyDictionary<string, string?>? gitWorkerSettings = null, CancellationToken ct = default,
        IReadOnlyDictionary<string, string?>? ingressSettings = null, IReadOnlyDictionary<string, string?>? everyService = null)
    {
        var postgres = await servers.Postgres.CreateDatabaseAsync("e2e", ct);
        var rabbit = await servers.RabbitMq.CreateVirtualHostAsync("e2e", ct);
        var stack = new StarSyncStack(servers, postgres, rabbit,
            await OneDevEmulator.StartAsync(ct), await GitHubEmulator.StartAsync(ct))
        {
            _everyService = everyService ?? new Dictionary<string, string?>(),
        };
        try
        {
            for (var i = 0; i < orchestrators; i++)
            {
                var environment = stack.OrchestratorEnvironment();
                if (starPoller)
                {
                    // Every Orchestrator may poll; the advisory lock makes one of them the active poller.
                    foreach (var (key, value) in stack.PollerEnvironment())
                    {
                        environment[key] = value;
                    }
                }
                foreach (var (key, value) in orchestratorSettings ?? new Dictionary<string, string?>())
                {
                    environment[key] = value;
                }
                stack.StartService("StarSync.Orchestrator", environment);
            }
            for (var i = 0; i < gitWorkers; i++)
            {
                var environment = stack.GitWorkerEnvironment(i);
                foreach (var (key, value) in gitWorkerSettings ?? new Dictionary<string, string?>())
                {
                    environment[key] = value;
                }
                stack.StartService("StarSync.GitWorker", environment);
            }
            var ingress = stack.IngressEnvironment();
            foreach (var (key, value) in ingressSettings ?? new Dictionary<string, string?>())
            {
                ingress[key] = value;
            }
            stack.StartService("StarSync.Ingress", ingress);
            await Task.WhenAll(stack.Processes.Select(p => p.WaitForHealthyAsync(TimeSpan.FromSeconds(90), ct)));
            await stack.WaitForConsumersAsync(new Dictionary<string, int>
            {
                ["mirror-state"] = orchestrators,
                ["create-one-dev-project"] = orchestrators,
                ["mirror-repository"] = gitWorkers,
            }, ct);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public ServiceProcess StartService(string project, IDictionary<string, string?> environment)
    {
        foreach (var (key, value) in _everyService)
        {
            environment.TryAdd(key, value);
        }
        var process = ServiceProcess.Start(project, environment);
        lock (_gate)
        {
            _processes.Add(process);
            _started[process] = (project, environment);
        }
        return process;
    }

    /// <summary>
    /// Starts another process of the same service as <paramref name="like"/>, with the same environment (database,
    /// virtual host, settings and work directory), and waits until it is healthy. For a replacement after a crash.
    /// </summary>
    public async Task<ServiceProcess> StartLikeAsync(ServiceProcess like, CancellationToken ct)
    {
        (string Project, IDictionary<string, string?> Environment) started;
        lock (_gate)
        {
            started = _started[like];
        }
        var (project, environment) = started;
        var process = StartService(project, new Dictionary<string, string?>(environment));
        await process.WaitForHealthyAsync(TimeSpan.FromSeconds(90), ct);
        return process;
    }

    private List<ServiceProcess> ProcessesOf(string project)
    {
        lock (_gate)
        {
            return [.. _processes.Where(p => _started.TryGetValue(p, out var s) && s.Project == project)];
        }
    }

    public Dictionary<string, string?> OrchestratorEnvironment() => new()
    {
        ["ConnectionStrings__postgres"] = Postgres,
        ["ConnectionStrings__rabbitmq"] = RabbitMq,
        ["OneDev__Url"] = OneDev.BaseUrl.ToString(),
        ["OneDev__Token"] = OneDev.Token,
        ["Sweeper__Interval"] = "00:00:01",
        ["Mirroring__RetryBaseDelay"] = "00:00:01",
        ["Mirroring__RetryMaxDelay"] = "00:00:05",
    };

    public Dictionary<string, string?> GitWorkerEnvironment(int index) => new()
    {
        ["ConnectionStrings__rabbitmq"] = RabbitMq,
        ["OneDev__Url"] = OneDev.BaseUrl.ToString(),
        ["OneDev__Token"] = OneDev.Token,
        ["GitHub__Token"] = GitHub.Token,
        ["GitHub__ApiUrl"] = GitHub.ApiUrl.ToString(),
        ["GitWorker__WorkDirectory"] = _work.CreateSubdirectory($"worker-{index}-{Guid.NewGuid():N}"),
    };

    public const string AdminToken = "end-to-end-admin-token-0123456789";

    public Dictionary<string, string?> IngressEnvironment() => new()
    {
        ["ConnectionStrings__rabbitmq"] = RabbitMq,
        ["Ingress__WebhookSecret"] = WebhookSecret,
        ["Ingress__AdminToken"] = AdminToken,
        // Three services, the emulators and git share two cores here: the Orchestrator's answer to an admin query can
        // take longer than the 5 s default, which made a GET answer 503. The timeout itself is tested in the Ingress's
        // AdminMirrorQueryTests.
        ["Ingress__AdminRequestTimeout"] = "00:00:20",
    };

    /// <summary>GitHub credentials for the Orchestrator's star poller (its state is in the Orchestrator's own database).</summary>
    public Dictionary<string, string?> PollerEnvironment() => new()
    {
        ["GitHub__ApiUrl"] = GitHub.ApiUrl.ToString(),
        ["GitHub__Token"] = GitHub.Token,
        ["Stars__PollInterval"] = "00:00:05",
    };

    /// <summary>Waits until each named queue has at least the given number of consumers.</summary>
    public Task WaitForConsumersAsync(IReadOnlyDictionary<string, int> consumers, CancellationToken ct) =>
        Eventually.UntilAsync(async () =>
        {
            var queues = await _servers.RabbitMq.ListQueuesAsync(VirtualHost, ct);
            return consumers.All(c => queues.Any(q => q.Name == c.Key && q.Consumers >= c.Value));
        }, TimeSpan.FromSeconds(60), "every service consumes its queue", ct);

    /// <summary>The saga row of a GitHub repository, or null while there is none.</summary>
    public async Task<MirrorRow?> FindMirrorAsync(long gitHubId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT current_state, status, last_error, onedev_project_id, onedev_project_path, attempt, retry_count,
                   recent_deliveries, (SELECT count(*) FROM mirrors) AS total
            FROM mirrors WHERE github_id = @id
            """, connection);
        command.Parameters.AddWithValue("id", gitHubId);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return new MirrorRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetInt32(5), reader.GetInt32(6), reader.GetFieldValue<string[]>(7), reader.GetInt64(8));
    }

    public Task<string?> FullNameAsync(long gitHubId, CancellationToken ct) =>
        ScalarAsync<string>("SELECT full_name FROM mirrors WHERE github_id = @id", gitHubId, ct);

    /// <summary>The worker (machine/pid) that last reported starting the mirror step, or null.</summary>
    public Task<string?> LastWorkerAsync(long gitHubId, CancellationToken ct) =>
        ScalarAsync<string>("SELECT last_worker FROM mirrors WHERE github_id = @id", gitHubId, ct);

    /// <summary>When the sweeper will next look at the mirror (retry or deadline), or null when nothing will re-drive it.</summary>
    public Task<DateTimeOffset?> DueAtAsync(long gitHubId, CancellationToken ct) =>
        ScalarAsync<DateTimeOffset?>("SELECT due_at FROM mirrors WHERE github_id = @id", gitHubId, ct);

    /// <summary>Moves a Completed mirror's next refresh to now: the sweeper sends it within its next scan.</summary>
    public async Task MakeRefreshDueAsync(long gitHubId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "UPDATE mirrors SET next_sync_at = now(), due_at = now() WHERE github_id = @id AND current_state = 'Completed'", connection);
        command.Parameters.AddWithValue("id", gitHubId);
        if (await command.ExecuteNonQueryAsync(ct) != 1)
        {
            throw new InvalidOperationException($"repository {gitHubId} has no Completed mirror to refresh");
        }
    }

    public Task<DateTimeOffset?> NextSyncAtAsync(long gitHubId, CancellationToken ct) =>
        ScalarAsync<DateTimeOffset?>("SELECT next_sync_at FROM mirrors WHERE github_id = @id", gitHubId, ct);

    private async Task<T?> ScalarAsync<T>(string sql, long gitHubId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", gitHubId);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>The sync history of a mirror as "event/outcome" lines, oldest first.</summary>
    public async Task<IReadOnlyList<string>> HistoryAsync(long gitHubId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            SELECT h.event || '/' || h.outcome FROM sync_history h JOIN mirrors m ON m.correlation_id = h.mirror_id
            WHERE m.github_id = @id ORDER BY h.id
            """, connection);
        command.Parameters.AddWithValue("id", gitHubId);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            lines.Add(reader.GetString(0));
        }
        return lines;
    }

    /// <summary>Waits until the mirror of <paramref name="gitHubId"/> is in <paramref name="state"/>.</summary>
    public async Task<MirrorRow> WaitForStateAsync(long gitHubId, string state, TimeSpan timeout, CancellationToken ct)
    {
        MirrorRow? row = null;
        try
        {
            await Eventually.UntilAsync(async () => (row = await FindMirrorAsync(gitHubId, ct))?.State == state,
                timeout, $"repository {gitHubId} is {state}", ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Last seen: {row}. Logs:\n{LogTail()}", ex);
        }
        return row!;
    }

    /// <summary>The refs (heads and tags) OneDev serves for a project, read over authenticated smart HTTP.</summary>
    public Task<IReadOnlyDictionary<string, string>> OneDevRefsAsync(string projectPath, CancellationToken ct) =>
        Git.LsRemoteAsync(new Uri(OneDev.BaseUrl, projectPath + ".git").ToString(), new Dictionary<string, string?>
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
            ["GIT_CONFIG_VALUE_0"] = "Authorization: Bearer " + OneDev.Token,
        }, ct);

    /// <summary>Every ref OneDev serves for a project (archive refs included), read over authenticated smart HTTP.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OneDevAllRefsAsync(string projectPath, CancellationToken ct)
    {
        using var scratch = new TempDirectory("ls-remote");
        var output = await Git.RunAsync(scratch.Path, ["ls-remote", new Uri(OneDev.BaseUrl, projectPath + ".git").ToString()],
            new Dictionary<string, string?>
            {
                ["GIT_CONFIG_COUNT"] = "1",
                ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
                ["GIT_CONFIG_VALUE_0"] = "Authorization: Bearer " + OneDev.Token,
            }, ct);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2 && !parts[1].EndsWith("^{}", StringComparison.Ordinal))
            .ToDictionary(parts => parts[1], parts => parts[0]);
    }

    /// <summary>Waits until the mirror's history holds <paramref name="line"/> (event/outcome) at least <paramref name="times"/> times.</summary>
    public async Task WaitForHistoryAsync(long gitHubId, string line, int times, TimeSpan timeout, CancellationToken ct)
    {
        IReadOnlyList<string> history = [];
        try
        {
            await Eventually.UntilAsync(async () => (history = await HistoryAsync(gitHubId, ct)).Count(h => h == line) >= times,
                timeout, $"{times} x {line} in the history of {gitHubId}", ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} History: {string.Join(", ", history)}. Logs:\n{LogTail()}", ex);
        }
    }

    /// <summary>The last lines each service wrote, for failure messages.</summary>
    public string LogTail(int lines = 40) => string.Join("\n", Processes.Select(p =>
        $"--- {p} ---\n" + string.Join("\n", p.Output.TakeLast(lines))));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Processes.Select(p => p.DisposeAsync().AsTask()));
        await OneDev.DisposeAsync();
        await GitHub.DisposeAsync();
        _work.Dispose();
    }
}
