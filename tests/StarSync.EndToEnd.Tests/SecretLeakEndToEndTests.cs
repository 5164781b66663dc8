using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Npgsql;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>
/// A private repository mirrored through a failure and a retry, while every command line of the services and their
/// children (git) is sampled; afterwards no secret may appear in logs, database rows, the workers' git files or any
/// sampled command line.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SecretLeakEndToEndTests(TestServers servers)
{
    private const string WorkDirectoryVariable = "GitWorker__WorkDirectory";

    [Fact]
    public async Task PrivateRepositoryWithAFailure_LeaksNoSecret_ToLogsRowsGitFilesOrCommandLines()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, ct: ct);
        var repository = stack.GitHub.CreateRepository("octo-org", "classified", isPrivate: true);
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "README.md", "secret plans", "initial");
        await source.CommitAsync("develop", "plan.txt", "more plans", "develop");
        var secrets = Secrets(stack);
        var commandLines = new ConcurrentDictionary<string, byte>();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = SampleCommandLinesAsync(stack.Processes.Select(p => p.Pid).ToList(), commandLines, sampling.Token);

        // The first REST call to OneDev fails: the saga records an error, retries, and completes.
        stack.OneDev.FailNextRestRequests(1);
        using var accepted = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", "secret-delivery-1",
            GitHubWebhooks.WatchStarted(repository), ct);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var mirror = await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(120), ct);
        // A second sync (admin API) runs git again against a warm cache while sampling continues.
        using (var admin = new HttpClient { BaseAddress = stack.Ingress.BaseUrl })
        {
            admin.DefaultRequestHeaders.Authorization = new("Bearer", StarSyncStack.AdminToken);
            using var sync = await admin.PostAsync(new Uri($"admin/mirrors/{repository.Id}/sync", UriKind.Relative), null, ct);
            Assert.True(sync.IsSuccessStatusCode, $"admin sync answered {(int)sync.StatusCode}");
        }
        await Eventually.UntilAsync(async () => (await stack.HistoryAsync(repository.Id, ct)).Count(h => h.StartsWith("mirror/", StringComparison.Ordinal)) >= 2
            && (await stack.FindMirrorAsync(repository.Id, ct))!.State == "Completed", TimeSpan.FromSeconds(90), "the second sync ended", ct);
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal((await source.GetRefsAsync()).OrderBy(r => r.Key),
            (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key));
        var history = await stack.HistoryAsync(repository.Id, ct);
        Assert.True(history.Any(h => h.StartsWith("project/", StringComparison.Ordinal) && h != "project/created"),
            "the OneDev failure is in the history: " + string.Join(", ", history));
        var rows = await DatabaseTextAsync(stack.Postgres, ct);
        var gitFiles = GitFiles(stack);
        Assert.Contains(gitFiles, f => Path.GetFileName(f.Path) == "config");
        var gitCommandLines = commandLines.Keys.Count(c => c.StartsWith("git", StringComparison.Ordinal) || c.Contains("/git ", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"{commandLines.Count} distinct command lines sampled, {gitCommandLines} of git; " +
            $"{rows.Count} rows; {gitFiles.Count} git files; {stack.Processes.Sum(p => p.Output.Count)} log lines");
        // The sampler must actually have seen the git children, or a token passed as a git argument would go unnoticed.
        Assert.True(gitCommandLines > 0, "no git command line was sampled:\n" + string.Join("\n", commandLines.Keys));

        var leaks = new List<string>();
        foreach (var (name, secret) in secrets)
        {
            foreach (var process in stack.Processes)
            {
                leaks.AddRange(process.Output.Where(l => l.Contains(secret, StringComparison.Ordinal))
                    .Select(l => $"{name} in the log of {process}: {l}"));
            }
            leaks.AddRange(rows.Where(r => r.Contains(secret, StringComparison.Ordinal)).Select(r => $"{name} in row {r}"));
            leaks.AddRange(gitFiles.Where(f => f.Text.Contains(secret, StringComparison.Ordinal)).Select(f => $"{name} in {f.Path}"));
            leaks.AddRange(commandLines.Keys.Where(c => c.Contains(secret, StringComparison.Ordinal)).Select(c => $"{name} in command line {c}"));
        }
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(20)));
    }

    /// <summary>Every secret the services know, and the Basic form GitHub's token takes in a header.</summary>
    private static List<(string Name, string Value)> Secrets(StarSyncStack stack) =>
    [
        ("GitHub token", stack.GitHub.Token),
        ("GitHub token (Basic)", Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + stack.GitHub.Token))),
        ("OneDev token", stack.OneDev.Token),
        ("webhook secret", StarSyncStack.WebhookSecret),
        ("admin token", StarSyncStack.AdminToken),
    ];

    /// <summary>
    /// Until cancelled, every 20 ms: the command line of each service process and of all its descendants (found
    /// through the parent pid in <c>/proc/&lt;pid&gt;/stat</c>). Processes that exit between two reads are skipped.
    /// </summary>
    private static Task SampleCommandLinesAsync(IReadOnlyList<int> roots, ConcurrentDictionary<string, byte> seen, CancellationToken ct) =>
        Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            do
            {
                var parents = new Dictionary<int, int>();
                foreach (var directory in Directory.EnumerateDirectories("/proc"))
                {
                    if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                        && TryRead(Path.Combine(directory, "stat")) is { } stat)
                    {
                        // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ')'.
                        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                        if (fields.Length > 1 && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var ppid))
                        {
                            parents[pid] = ppid;
                        }
                    }
                }
                foreach (var pid in parents.Keys)
                {
                    if (IsDescendant(pid, roots, parents) && TryRead($"/proc/{pid}/cmdline") is { Length: > 0 } cmdline)
                    {
                        seen.TryAdd(cmdline.Replace('\0', ' ').TrimEnd(), 0);
                    }
                }
            }
            while (await WaitAsync(timer, ct));
        }, CancellationToken.None);

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static bool IsDescendant(int pid, IReadOnlyList<int> roots, Dictionary<int, int> parents)
    {
        for (var current = pid; current > 1; current = parents.GetValueOrDefault(current))
        {
            if (roots.Contains(current))
            {
                return true;
            }
            if (!parents.ContainsKey(current))
            {
                return false;
            }
        }
        return false;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every row of every table, as <c>table: {json of all columns}</c>.</summary>
    private static async Task<List<string>> DatabaseTextAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var tables = new List<(string Schema, string Name)>();
        await using (var list = new NpgsqlCommand("""
            SELECT table_schema, table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                tables.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        Assert.Contains(tables, t => t.Name == "mirrors");
        var rows = new List<string>();
        foreach (var (schema, name) in tables)
        {
            var quoted = $"\"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\".\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
#pragma warning disable CA2100 // The identifiers come from information_schema and are quoted.
            await using var dump = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM {quoted} t", connection);
#pragma warning restore CA2100
            await using var reader = await dump.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add($"{name}: {reader.GetString(0)}");
            }
        }
        return rows;
    }

    /// <summary>
    /// Every file under each GitWorker's work directory (its cache included) except object storage: git configs,
    /// FETCH_HEAD, HEAD, packed-refs, reflogs and refs. The directory is read from the process's own environment.
    /// </summary>
    private static List<(string Path, string Text)> GitFiles(StarSyncStack stack)
    {
        var files = new List<(string, string)>();
        foreach (var worker in stack.Processes.Where(p => p.ToString().StartsWith("StarSync.GitWorker", StringComparison.Ordinal)))
        {
            var environment = File.ReadAllText($"/proc/{worker.Pid}/environ").Split('\0');
            var workDirectory = environment.Single(v => v.StartsWith(WorkDirectoryVariable + "=", StringComparison.Ordinal))
                [(WorkDirectoryVariable.Length + 1)..];
            foreach (var file in Directory.EnumerateFiles(workDirectory, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(workDirectory, file).Split(Path.DirectorySeparatorChar);
                if (!relative.Contains("objects") && TryRead(file) is { } text)
                {
                    files.Add((file, text));
                }
            }
        }
        return files;
    }
}
