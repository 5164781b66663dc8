using System.Diagnostics;
using System.Net;

namespace StarSync.Testing;

/// <summary>
/// One of StarSync's services (Ingress, Orchestrator, GitWorker) running as its own OS process from its build
/// output, the way it runs in production; output is captured for assertions and failure messages.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGracePeriod = TimeSpan.FromSeconds(15);

    // Variables of the test process that would change how the service boots (environment name, URLs, hosting
    // startup assemblies, startup hooks, configuration keys, telemetry exporters) are not inherited.
    private static readonly string[] DroppedPrefixes = ["DOTNET_", "ASPNETCORE_", "COMPlus_", "CORECLR_", "OTEL_"];

    private static readonly HashSet<string> KeptVariables = new(StringComparer.Ordinal)
    {
        "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_CLI_HOME", "DOTNET_NOLOGO", "DOTNET_CLI_TELEMETRY_OPTOUT",
        "DOTNET_GENERATE_ASPNET_CERTIFICATE",
    };

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly string _name;

    private ServiceProcess(Process process, string name, Uri baseUrl)
    {
        _process = process;
        _name = name;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Lines the service wrote to stdout and stderr so far (a snapshot).</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    public string OutputText => string.Join('\n', Output);

    /// <summary>
    /// Starts <c>dotnet services/&lt;projectName&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;projectName&gt;.dll</c> with
    /// <c>ASPNETCORE_URLS=http://127.0.0.1:&lt;port&gt;</c> and the given variables (a null value removes one).
    /// </summary>
    public static ServiceProcess Start(string projectName, IDictionary<string, string?> environment, int? httpPort = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var dll = ServiceAssemblyPath(projectName);
        var port = httpPort ?? FreePort.Next();
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var name in startInfo.Environment.Keys.ToList())
        {
            var dropped = DroppedPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                || name.Contains("__", StringComparison.Ordinal);
            if (dropped && !KeptVariables.Contains(name))
            {
                startInfo.Environment.Remove(name);
            }
        }
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        ProcessRunner.Apply(startInfo, environment);

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var service = new ServiceProcess(process, projectName, baseUrl);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {projectName}.");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return service;
    }

    /// <summary>Polls <c>GET /health</c> until it answers 200; throws with the output tail on exit or timeout.</summary>
    public async Task WaitForHealthyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        HttpStatusCode? lastStatus = null;
        string? lastError = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (HasExited)
            {
                throw new InvalidOperationException(
                    $"{_name} exited with code {_process.ExitCode} before it was healthy.\n{OutputTail()}");
            }
            try
            {
                using var response = await http.GetAsync("health", ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
                lastStatus = response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
            {
                lastError = e.Message;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"{_name} was not healthy at {BaseUrl}health within {timeout.TotalSeconds:0.#} s " +
                    $"(last status {lastStatus?.ToString() ?? "none"}, last error {lastError ?? "none"}).\n{OutputTail()}");
            }
            await Task.Delay(Eventually.PollInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILLs the service and every process it started (a crash, for fault tests).</summary>
    public void Kill() => ProcessRunner.TryKill(_process);

    /// <summary>SIGTERM (graceful host shutdown), then waits; kills the process tree after 15 s.</summary>
    public async Task StopAsync()
    {
        if (HasExited)
        {
            return;
        }
        NativeMethods.Signal(_process.Id, NativeMethods.SigTerm);
        using var grace = new CancellationTokenSource(StopGracePeriod);
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    public override string ToString() => $"{_name} (pid {Pid}) at {BaseUrl}";

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Add(line);
        }
    }

    private string OutputTail(int lines = 60)
    {
        var output = Output;
        return $"--- {_name} output (last {Math.Min(lines, output.Count)} of {output.Count} lines) ---\n"
            + string.Join('\n', output.TakeLast(lines));
    }

    private static string ServiceAssemblyPath(string projectName)
    {
        var root = RepositoryRoot();
        var configuration = BuildConfiguration();
        var dll = Path.Combine(root, "services", projectName, "bin", configuration, "net10.0", projectName + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"{dll} does not exist; build it first (dotnet build services/{projectName} -c {configuration}).", dll);
        }
        return dll;
    }

    /// <summary>The directory holding StarSync.sln, found by walking up from the test assembly's directory.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "StarSync.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No StarSync.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The configuration the test assembly was built with: the name of the folder above its TFM folder.</summary>
    internal static string BuildConfiguration()
    {
        var tfmDirectory = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        return tfmDirectory.Parent?.Name is { Length: > 0 } name && tfmDirectory.Parent.Parent?.Name == "bin" ? name : "Debug";
    }

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH when set by the SDK), else dotnet from PATH.</summary>
    private static string DotnetHost()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }
        var processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }
        return "dotnet";
    }
}
