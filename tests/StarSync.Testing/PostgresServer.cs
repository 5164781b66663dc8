using System.Diagnostics;
using System.Text;

using Npgsql;

namespace StarSync.Testing;

/// <summary>
/// A private PostgreSQL 15 cluster in a temporary directory, listening on a free port of 127.0.0.1 only, tuned for
/// tests (no fsync, trust authentication). Each test assembly starts its own; tests create a database each.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string SystemUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly TempDirectory _directory;
    private readonly Guid _exitGuard;
    private int _disposed;

    private PostgresServer(TempDirectory directory, int port)
    {
        _directory = directory;
        Port = port;
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = SystemUser,
            Database = "postgres",
            IncludeErrorDetail = true,
            Pooling = false,
        }.ConnectionString;
        _exitGuard = ExitGuard.Register(() => RunPgCtlSync("stop", "-m", "immediate"));
    }

    public int Port { get; }

    /// <summary>How long the last start (pg_ctl start until pg_isready) took; initdb not included.</summary>
    public TimeSpan LastStartDuration { get; private set; }

    /// <summary>Superuser connection to the <c>postgres</c> database (no pooling, so it survives restarts).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The cluster's temporary directory (data directory, unix socket and <c>postgres.log</c>).</summary>
    public string DirectoryPath => _directory.Path;

    private string DataDirectory => Path.Combine(_directory.Path, "data");

    private string LogFile => Path.Combine(_directory.Path, "postgres.log");

    /// <summary>Runs initdb in a fresh temporary directory and starts the server; retries on a taken port.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default)
    {
        var directory = new TempDirectory("pg");
        try
        {
            if (NativeMethods.IsRoot)
            {
                // initdb and postgres refuse to run as root: the cluster belongs to the postgres system user.
                await RunCheckedAsync("chown", [SystemUser, directory.Path], directory.Path, ct).ConfigureAwait(false);
            }
            var (initdb, initdbArguments) = AsClusterOwner(
                Path.Combine(BinDirectory, "initdb"),
                ["-D", Path.Combine(directory.Path, "data"), "-U", SystemUser, "-A", "trust", "-E", "UTF8",
                    "--locale=C", "--no-sync", "--no-instructions"]);
            await RunCheckedAsync(initdb, initdbArguments, directory.Path, ct).ConfigureAwait(false);
            File.AppendAllText(Path.Combine(directory.Path, "data", "postgresql.conf"), "\ninclude 'starsync-test.conf'\n");

            for (var attempt = 1; ; attempt++)
            {
                var server = new PostgresServer(directory, FreePort.Next());
                server.WriteSettings();
                try
                {
                    await server.StartServerAsync(ct).ConfigureAwait(false);
                    return server;
                }
                catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("could not bind", StringComparison.Ordinal))
                {
                    // Someone took the port between FreePort.Next() and the bind: try another one.
                    ExitGuard.Unregister(server._exitGuard);
                }
                catch
                {
                    ExitGuard.Unregister(server._exitGuard);
                    throw;
                }
            }
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Creates a fresh, uniquely named database and returns an Npgsql connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken ct = default)
    {
        var name = UniqueName(prefix);
        var connection = new NpgsqlConnection(AdminConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SystemUser,
            Database = name,
            IncludeErrorDetail = false,
        }.ConnectionString;
    }

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>); the data stays for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        var result = await RunPgCtlAsync(["stop", "-m", "fast", "-w", "-t", "60"], CancellationToken.None).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed: {result.StandardError}\n{ProcessRunner.Tail(LogFile)}");
        }
    }

    /// <summary>Starts the stopped server again on the same directory and port.</summary>
    public Task StartAgainAsync() => StartServerAsync(CancellationToken.None);

    /// <summary>Stops the server immediately (no checkpoint) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        ExitGuard.Unregister(_exitGuard);
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            await RunPgCtlAsync(["stop", "-m", "immediate", "-w", "-t", "30"], CancellationToken.None).ConfigureAwait(false);
        }
        _directory.Dispose();
    }

    public override string ToString() => $"PostgreSQL on 127.0.0.1:{Port} ({_directory.Path})";

    private void WriteSettings()
    {
        var settings = new StringBuilder()
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(FormattableString.Invariant($"port = {Port}"))
            .AppendLine($"unix_socket_directories = '{_directory.Path}'")
            .AppendLine("max_connections = 300")
            .AppendLine("shared_buffers = 64MB")
            .AppendLine("fsync = off")
            .AppendLine("synchronous_commit = off")
            .AppendLine("full_page_writes = off")
            .AppendLine("log_min_messages = warning")
            .AppendLine("log_line_prefix = '%m [%p] '")
            .ToString();
        var path = Path.Combine(DataDirectory, "starsync-test.conf");
        File.WriteAllText(path, settings);
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var seconds = ((int)StartTimeout.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var result = await RunPgCtlAsync(["start", "-w", "-t", seconds, "-l", LogFile], ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            // pg_ctl may have left a half-started postmaster behind.
            await RunPgCtlAsync(["stop", "-m", "immediate", "-w", "-t", "10"], CancellationToken.None).ConfigureAwait(false);
            throw new InvalidOperationException(
                $"PostgreSQL did not start on port {Port}: {result.StandardOutput}{result.StandardError}\n{ProcessRunner.Tail(LogFile)}");
        }
        var ready = await ProcessRunner.RunAsync(
            Path.Combine(BinDirectory, "pg_isready"),
            ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", seconds],
            ct: ct).ConfigureAwait(false);
        if (ready.ExitCode != 0)
        {
            throw new InvalidOperationException($"PostgreSQL started but pg_isready failed: {ready.StandardOutput}\n{ProcessRunner.Tail(LogFile)}");
        }
        LastStartDuration = stopwatch.Elapsed;
    }

    private Task<ProcessResult> RunPgCtlAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var (fileName, fullArguments) = AsClusterOwner(
            Path.Combine(BinDirectory, "pg_ctl"), [arguments[0], "-D", DataDirectory, .. arguments.Skip(1)]);
        return ProcessRunner.RunAsync(fileName, fullArguments, workingDirectory: _directory.Path, ct: ct);
    }

    private void RunPgCtlSync(params string[] arguments)
    {
        var (fileName, fullArguments) = AsClusterOwner(
            Path.Combine(BinDirectory, "pg_ctl"), [arguments[0], "-D", DataDirectory, .. arguments.Skip(1)]);
        var startInfo = new ProcessStartInfo(fileName) { UseShellExecute = false, WorkingDirectory = _directory.Path };
        foreach (var argument in fullArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo);
        process?.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private static async Task RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken ct)
    {
        var result = await ProcessRunner.RunAsync(fileName, arguments, workingDirectory: workingDirectory, ct: ct)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} failed with exit code {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        }
    }

    /// <summary>As root, PostgreSQL programs run through <c>runuser -u postgres --</c>; otherwise directly.</summary>
    private static (string FileName, IReadOnlyList<string> Arguments) AsClusterOwner(string program, IReadOnlyList<string> arguments) =>
        NativeMethods.IsRoot ? ("runuser", ["-u", SystemUser, "--", program, .. arguments]) : (program, arguments);

    internal static string UniqueName(string prefix)
    {
        var clean = new string(prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()).Trim('_');
        if (clean.Length == 0 || !char.IsAsciiLetter(clean[0]))
        {
            clean = "db_" + clean;
        }
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return $"{clean[..Math.Min(clean.Length, 63 - 13)]}_{suffix}";
    }
}
