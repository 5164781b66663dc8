using System.Diagnostics;

namespace StarSync.Deploy.Tests;

/// <summary>
/// deploy/run-local.sh copied into an otherwise empty temporary "repository" (no .env of the developer's is read)
/// and run for real with a clean environment; <see cref="FakeDotnet"/> puts a <c>dotnet</c> on the PATH that only
/// records its arguments and writes the service assembly it was asked to build.
/// </summary>
internal sealed class RunLocalCopy : IDisposable
{
    public static readonly string[] Services = ["StarSync.Orchestrator", "StarSync.GitWorker", "StarSync.Ingress"];

    private readonly string? _fakeBin;

    public RunLocalCopy(bool fakeDotnet = false)
    {
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "deploy"));
        System.IO.File.Copy(RepositoryRoot.File("deploy/run-local.sh"), File("deploy/run-local.sh"));
        if (fakeDotnet)
        {
            _fakeBin = File("fake-bin");
            Directory.CreateDirectory(_fakeBin);
            var dotnet = System.IO.Path.Combine(_fakeBin, "dotnet");
            System.IO.File.WriteAllText(dotnet, """
                #!/usr/bin/env bash
                # Records the call; "build <project>" writes <project dir>/bin/Release/net10.0/<name>.dll, or fails for
                # the project named in FAKE_DOTNET_FAIL.
                printf '%s\n' "$*" >>"$FAKE_DOTNET_LOG"
                [[ "${1:-}" == build ]] || exit 0
                name="$(basename "$2" .csproj)"
                if [[ "$name" == "${FAKE_DOTNET_FAIL:-}" ]]; then echo "error CS1002: ; expected"; exit 1; fi
                mkdir -p "$(dirname "$2")/bin/Release/net10.0" && : >"$(dirname "$2")/bin/Release/net10.0/$name.dll"
                """.ReplaceLineEndings("\n"));
            if (OperatingSystem.IsWindows())
            {
                throw new PlatformNotSupportedException("run-local.sh and the fake dotnet are bash scripts.");
            }
            System.IO.File.SetUnixFileMode(dotnet, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var service in Services)
            {
                Write($"services/{service}/{service}.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
                Write($"services/{service}/Program.cs", "return 0;");
            }
            Write("shared/StarSync.Contracts/Contract.cs", "namespace StarSync.Contracts;");
            Write("Directory.Build.props", "<Project />");
            Write("Directory.Packages.props", "<Project />");
        }
    }

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "starsync-deploy-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>The build stamp the script writes after a successful build.</summary>
    public string BuildStamp => File(".local/run/build.stamp");

    public string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    public void Write(string relativePath, string text)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relativePath))!);
        System.IO.File.WriteAllText(File(relativePath), text);
    }

    /// <summary>The projects the fake <c>dotnet build</c> was called for, in call order.</summary>
    public IReadOnlyList<string> Builds() =>
        System.IO.File.Exists(File("dotnet-calls.log"))
            ? [.. System.IO.File.ReadAllLines(File("dotnet-calls.log")).Where(l => l.StartsWith("build ", StringComparison.Ordinal))
                .Select(l => System.IO.Path.GetFileNameWithoutExtension(l.Split(' ')[1]))]
            : [];

    public void ClearBuilds() => System.IO.File.Delete(File("dotnet-calls.log"));

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path,
        };
        startInfo.ArgumentList.Add(File("deploy/run-local.sh"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = (_fakeBin is null ? "" : _fakeBin + ":") + "/usr/local/bin:/usr/bin:/bin";
        startInfo.Environment["HOME"] = Path;
        startInfo.Environment["FAKE_DOTNET_LOG"] = File("dotnet-calls.log");
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        using var process = Process.Start(startInfo)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
