using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using StarSync.GitWorker.Git;
using StarSync.GitWorker.Tests.Support;

namespace StarSync.GitWorker.Tests;

public sealed class GitCliTests
{
    private const string GitHubToken = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
    private const string OneDevToken = "b1946ac92492d2347c6235b4d2611184a1b2c3d4";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void StartInfo_PassesCommandAndArgumentsThroughArgumentList()
    {
        var invocation = new GitInvocation("fetch", ["--prune", "https://github.com/o/r.git", "+refs/heads/*:refs/heads/*"], "fetch", "/tmp/w");

        var startInfo = GitCli.CreateStartInfo("/usr/bin/git", invocation);

        Assert.Equal("/usr/bin/git", startInfo.FileName);
        Assert.Equal("", startInfo.Arguments);
        Assert.Equal(["fetch", "--prune", "https://github.com/o/r.git", "+refs/heads/*:refs/heads/*"], startInfo.ArgumentList);
        Assert.Equal("/tmp/w", startInfo.WorkingDirectory);
        Assert.False(startInfo.UseShellExecute);
        Assert.True(startInfo.RedirectStandardError);
        Assert.True(startInfo.RedirectStandardOutput);
        Assert.True(startInfo.RedirectStandardInput);
    }

    [Fact]
    public void StartInfo_IsolatesGitFromTheHostConfiguration()
    {
        var startInfo = GitCli.CreateStartInfo("git", new GitInvocation("ls-remote", ["https://example.com/r.git"], "list"));

        var env = startInfo.Environment;
        Assert.Equal("0", env["GIT_TERMINAL_PROMPT"]);
        Assert.Equal("1", env["GIT_CONFIG_NOSYSTEM"]);
        Assert.Equal("/dev/null", env["GIT_CONFIG_GLOBAL"]);
        Assert.Equal("C", env["LC_ALL"]);
        Assert.False(env.ContainsKey("GIT_ASKPASS"));
        Assert.False(env.ContainsKey("SSH_ASKPASS"));
        var config = Config(startInfo.Environment);
        Assert.Equal("", config["credential.helper"]);
        Assert.Equal("", config["core.askPass"]);
    }

    [Fact]
    public void StartInfo_InheritedGitVariables_AreRemoved()
    {
        // A name no git reads, so tests running in parallel are not affected (GIT_ASKPASS, GIT_TRACE_CURL are alike).
        const string name = "GIT_STARSYNC_TEST_INHERITED";
        Environment.SetEnvironmentVariable(name, "1");
        try
        {
            var startInfo = GitCli.CreateStartInfo("git", new GitInvocation("fetch", [], "fetch"));

            Assert.False(startInfo.Environment.ContainsKey(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void StartInfo_Credentials_AreUrlScopedExtraHeadersInTheEnvironmentOnly()
    {
        var gitHub = GitCredential.GitHub("https://github.com/octo/widgets.git", GitHubToken)!;
        var oneDev = GitCredential.Bearer("https://onedev.example.com:8443/github/octo/widgets.git", OneDevToken);
        var invocation = new GitInvocation(
            "push", ["--porcelain", "https://onedev.example.com:8443/github/octo/widgets.git"], "push", "/tmp/w", [gitHub, oneDev]);

        var startInfo = GitCli.CreateStartInfo("git", invocation);

        var config = Config(startInfo.Environment);
        Assert.Equal(
            "Authorization: Basic " + Convert.ToBase64String("x-access-token:"u8.ToArray().Concat(System.Text.Encoding.UTF8.GetBytes(GitHubToken)).ToArray()),
            config["http.https://github.com/.extraHeader"]);
        Assert.Equal("Authorization: Bearer " + OneDevToken, config["http.https://onedev.example.com:8443/.extraHeader"]);
        Assert.All(startInfo.ArgumentList, a =>
        {
            Assert.DoesNotContain(GitHubToken, a, StringComparison.Ordinal);
            Assert.DoesNotContain(OneDevToken, a, StringComparison.Ordinal);
            Assert.DoesNotContain("Authorization", a, StringComparison.OrdinalIgnoreCase);
        });
        Assert.DoesNotContain(GitHubToken, startInfo.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void GitHubCredential_WithoutToken_IsNone()
    {
        Assert.Null(GitCredential.GitHub("https://github.com/o/r.git", null));
        Assert.Null(GitCredential.GitHub("https://github.com/o/r.git", " "));
    }

    [Theory]
    [InlineData("https://github.com/o/r.git", "https://github.com/")]
    [InlineData("https://GitHub.com:443/o/r.git", "https://github.com/")]
    [InlineData("http://127.0.0.1:5123/a/b/c.git", "http://127.0.0.1:5123/")]
    [InlineData("https://user:secret@onedev.example.com/p.git?x=1", "https://onedev.example.com/")]
    public void CredentialScope_IsTheOriginOfTheUrl(string url, string origin)
    {
        Assert.Equal(origin, GitCredential.OriginOf(url));
    }

    [Fact]
    public void CredentialScope_RejectsNonHttpUrls()
    {
        Assert.Throws<ArgumentException>(() => GitCredential.Bearer("file:///srv/repo.git", OneDevToken));
    }

    [Fact]
    public void Credential_ToString_ShowsNoSecret()
    {
        var text = GitCredential.Bearer("https://onedev.example.com/p.git", OneDevToken).ToString();

        Assert.DoesNotContain(OneDevToken, text, StringComparison.Ordinal);
        Assert.Contains("onedev.example.com", text, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task RealGit_ReceivesTheExtraHeaderFromTheEnvironment()
    {
        var cli = Cli("git");
        var credential = GitCredential.Bearer("https://onedev.example.com/p.git", OneDevToken);

        var result = await cli.RunAsync(
            new GitInvocation("config", ["--get-urlmatch", "http.extraHeader", "https://onedev.example.com/p.git"], "read config", Credentials: [credential]),
            Ct);
        var elsewhere = await cli.RunAsync(
            new GitInvocation("config", ["--get-urlmatch", "http.extraHeader", "https://github.com/o/r.git"], "read config", Credentials: [credential]),
            Ct);

        // The output carries the header, so the redactor masks it: proof that both parts work.
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Authorization: ***", result.Output.Trim());
        Assert.NotEqual(0, elsewhere.ExitCode);
        Assert.Equal("", elsewhere.Output.Trim());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Cancellation_KillsTheProcessTree()
    {
        using var dir = new StarSync.Testing.TempDirectory("gitcli");
        var pidFile = Path.Combine(dir.Path, "pid");
        var script = Path.Combine(dir.Path, "slow-git.sh");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nsleep 600 &\necho $! > '{pidFile}'\nwait\n", Ct);
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("POSIX only");
            return;
        }
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = Cli(script).RunAsync(new GitInvocation("fetch", [], "fetch"), cancel.Token);
        await StarSync.Testing.Eventually.UntilAsync(
            () => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, TimeSpan.FromSeconds(30), "the script started sleep", Ct);
        var sleeper = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await StarSync.Testing.Eventually.UntilAsync(() => !IsRunning(sleeper), TimeSpan.FromSeconds(30), "the grandchild was killed", Ct);
    }

    private static GitCli Cli(string executable) =>
        new(Options.Create(new GitWorkerOptions { GitExecutable = executable }), NullLogger<GitCli>.Instance);

    private static bool IsRunning(int pid)
    {
        // A killed grandchild may linger as a zombie until init reaps it; /proc/<pid>/stat says 'Z' then.
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> Config(IDictionary<string, string?> environment)
    {
        var count = int.Parse(environment["GIT_CONFIG_COUNT"]!, System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(0, count).ToDictionary(i => environment[$"GIT_CONFIG_KEY_{i}"]!, i => environment[$"GIT_CONFIG_VALUE_{i}"]!);
    }
}
