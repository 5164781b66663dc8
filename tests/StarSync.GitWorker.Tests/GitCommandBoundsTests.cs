using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using StarSync.GitWorker.Git;
using StarSync.GitWorker.Tests.Support;
using StarSync.Testing;

namespace StarSync.GitWorker.Tests;

/// <summary>Each git command gets its own time bound, against servers that accept connections and never answer.</summary>
[Trait("Category", "Integration")]
public sealed class GitCommandBoundsTests : IDisposable
{
    private const string Token = "ghs_0123456789abcdefBOUNDStoken0123456789";

    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);
    private readonly TempDirectory _directory = new("git-bounds");

    public GitCommandBoundsTests() => _silent.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string SilentUrl => $"http://127.0.0.1:{((IPEndPoint)_silent.LocalEndpoint).Port}/octo/hangs.git";

    public void Dispose()
    {
        _silent.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task LsRemote_AgainstAServerThatNeverAnswers_FailsTransientlyAfterItsBound()
    {
        var cli = Cli(new GitWorkerOptions { LsRemoteTimeout = TimeSpan.FromSeconds(2) });
        var clock = Stopwatch.StartNew();

        var failure = await FailureOf(cli, new GitInvocation(
            "ls-remote", ["--heads", SilentUrl], "list the mirror's refs", _directory.Path, [GitCredential.Bearer(SilentUrl, Token)]));

        Assert.True(failure.Transient, failure.Reason);
        Assert.Equal("list the mirror's refs failed: git ls-remote did not finish within 00:00:02 (GitWorker:LsRemoteTimeout) and was killed", failure.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        await AssertNoProcessLeftAsync();
    }

    [Fact]
    public async Task Fetch_FromAServerThatNeverAnswers_FailsAfterTheInactivityBound_NotTheOverallOne()
    {
        await StarSync.Testing.Git.RunAsync(_directory.Path, "init", "--bare", "--quiet", "cache.git");
        var cache = Path.Combine(_directory.Path, "cache.git");
        var cli = Cli(new GitWorkerOptions { TransferInactivityTimeout = TimeSpan.FromSeconds(2), TransferTimeout = TimeSpan.FromHours(1) });
        var clock = Stopwatch.StartNew();

        var failure = await FailureOf(cli, new GitInvocation(
            "fetch", ["--progress", SilentUrl, "+refs/heads/*:refs/heads/*"], "fetch from GitHub", cache, [GitCredential.GitHub(SilentUrl, Token)!], cache));

        Assert.True(failure.Transient, failure.Reason);
        Assert.Equal(
            "fetch from GitHub failed: git fetch printed nothing, not even progress, for 00:00:02 (GitWorker:TransferInactivityTimeout) and was killed",
            failure.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        await AssertNoProcessLeftAsync();
    }

    [Fact]
    public async Task Transfer_ThatKeepsPrintingProgress_IsStoppedByTheOverallBound()
    {
        // A stand-in for git whose transfer drips progress forever: never inactive, never done.
        var script = Script("drip.sh", "#!/bin/sh\nwhile :; do printf 'Receiving objects: 1%%\\r' >&2; sleep 0.2; done\n");
        var cli = Cli(new GitWorkerOptions
        {
            GitExecutable = script, TransferInactivityTimeout = TimeSpan.FromSeconds(1), TransferTimeout = TimeSpan.FromSeconds(4),
        });
        var clock = Stopwatch.StartNew();

        var failure = await FailureOf(cli, new GitInvocation("fetch", [SilentUrl], "fetch from GitHub", _directory.Path));

        Assert.Equal("fetch from GitHub failed: git fetch did not finish within 00:00:04 (GitWorker:TransferTimeout) and was killed", failure.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(20));
        await AssertNoProcessLeftAsync();
    }

    [Fact]
    public async Task LocalCommand_ThatHangs_FailsAfterTheLocalBound()
    {
        var script = Script("stuck.sh", "#!/bin/sh\nsleep 600\n");
        var cli = Cli(new GitWorkerOptions { GitExecutable = script, LocalCommandTimeout = TimeSpan.FromSeconds(2) });

        var failure = await FailureOf(cli, new GitInvocation("for-each-ref", [], "list the fetched refs", _directory.Path));

        Assert.Equal("list the fetched refs failed: git for-each-ref did not finish within 00:00:02 (GitWorker:LocalCommandTimeout) and was killed", failure.Reason);
        await AssertNoProcessLeftAsync();
    }

    private static GitCli Cli(GitWorkerOptions options) => new(Options.Create(options), NullLogger<GitCli>.Instance);

    /// <summary>The command's failure; a bound that does not work fails the test in 60 s instead of hanging it.</summary>
    private static async Task<GitFailure> FailureOf(GitCli cli, GitInvocation invocation)
    {
        var run = cli.RunAsync(invocation, Ct);
        var exception = await Assert.ThrowsAsync<GitException>(() => run.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        TestContext.Current.TestOutputHelper?.WriteLine(exception.Failure.Reason);
        Assert.DoesNotContain(Token, exception.Failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", exception.Failure.Reason, StringComparison.Ordinal);
        return exception.Failure;
    }

    private Task AssertNoProcessLeftAsync() =>
        Eventually.UntilAsync(() => GitProcesses.Under(_directory.Path).Count == 0, TimeSpan.FromSeconds(15),
            $"no process is left in {_directory.Path}", Ct);

    private string Script(string name, string text)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The stand-ins for git are POSIX shell scripts.");
        }
        var path = Path.Combine(_directory.Path, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
