using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using StarSync.GitWorker.Git;
using StarSync.Testing;

namespace StarSync.GitWorker.Tests;

public sealed class GitProcessStarterTests
{
    private const string Token = "b1946ac92492d2347c6235b4d2611184deadbeef";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Guard_RunsGitUnderSetprivAndTimeout_WithTheSameEnvironmentAndNoSecretInArguments()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("Linux only");
            return;
        }
        var credential = GitCredential.Bearer("https://onedev.example.com/p.git", Token);
        var git = GitCli.CreateStartInfo("/usr/bin/git", new GitInvocation("push", ["--porcelain", "https://onedev.example.com/p.git"], "push", "/tmp/w", [credential]));
        var environment = git.Environment.ToDictionary();

        var guarded = GitProcessStarter.Guard(git)!;

        Assert.Equal(GitProcessStarter.ResolveOnPath("setpriv"), guarded.FileName);
        Assert.Equal(
            ["--pdeathsig", "TERM", "--", GitProcessStarter.ResolveOnPath("timeout")!, "--kill-after=10s", "0", "/usr/bin/git", "push", "--porcelain", "https://onedev.example.com/p.git"],
            guarded.ArgumentList);
        Assert.Equal("/tmp/w", guarded.WorkingDirectory);
        Assert.Equal(environment, guarded.Environment.ToDictionary());
        Assert.All(guarded.ArgumentList, a => Assert.DoesNotContain(Token, a, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task CommandStartedFromAThreadThatEnds_OutlivesThatThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Skip("Linux only");
            return;
        }
        using var dir = new TempDirectory("git-spawner");
        var go = Path.Combine(dir.Path, "go");
        // Stands in for a long git command: done only once the test says so, after the starting thread is gone.
        var script = Path.Combine(dir.Path, "waiting-git.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nwhile [ ! -e '{go}' ]; do sleep 0.1; done\necho survived\n", Ct);
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cli = new GitCli(Options.Create(new GitWorkerOptions { GitExecutable = script }), NullLogger<GitCli>.Instance);
        Task<GitResult>? run = null;
        string? threadId = null;

        // The way a thread-pool thread retires: the thread that asked for the command ends while it runs.
        var caller = new Thread(() =>
        {
            threadId = Path.GetFileName(new DirectoryInfo("/proc/thread-self").LinkTarget);
            run = cli.RunAsync(new GitInvocation("fetch", [], "fetch", dir.Path), Ct);
        });
        caller.Start();
        caller.Join();
        await Eventually.UntilAsync(() => !Directory.Exists($"/proc/self/task/{threadId}"), TimeSpan.FromSeconds(10), "the calling thread is gone", Ct);
        await File.WriteAllTextAsync(go, "", Ct);

        var result = await run!.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal((0, "survived\n"), (result.ExitCode, result.Output));
    }
}
