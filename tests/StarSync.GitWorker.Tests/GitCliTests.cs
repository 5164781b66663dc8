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

    [Fact]
    [Trait("Category", "Integration")]
    public async Task LongErrorOutput_KeepsOnlyItsTail_AndSaysHowMuchWasDropped()
    {
        using var dir = new StarSync.Testing.TempDirectory("gitcli-output");
        // 2 MB of chatter on stderr (the secret in it must not survive either), then the line that matters.
        var script = Script(dir.Path, "chatty-git.sh",
            "#!/bin/sh\nprintf 'token %s\\n' '" + OneDevToken + "' >&2\n" +
            "i=0; while [ $i -lt 20000 ]; do printf '%0100d\\n' $i >&2; i=$((i+1)); done\n" +
            "echo 'fatal: the line that matters' >&2\nexit 128\n");
        if (script is null)
        {
            return;
        }

        var result = await Cli(script).RunAsync(
            new GitInvocation("fetch", [], "fetch", Credentials: [GitCredential.Bearer("https://onedev.example.com/p.git", OneDevToken)]), Ct);

        Assert.Equal(128, result.ExitCode);
        Assert.InRange(result.Error.Length, 1000, GitOutput.TailBytes + 100);
        Assert.EndsWith("fatal: the line that matters\n", result.Error, StringComparison.Ordinal);
        var note = System.Text.RegularExpressions.Regex.Match(result.Error, @"^\[(\d+) earlier bytes of output not kept\]\n");
        Assert.True(note.Success, result.Error[..200]);
        // Everything before the kept lines: the token line, the counted lines not kept, and the cut line's start.
        var kept = result.Error[(note.Length)..].Length;
        Assert.Equal(("token " + OneDevToken + "\n").Length + (20000 * 101) + "fatal: the line that matters\n".Length - kept,
            long.Parse(note.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(OneDevToken, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(OneDevToken[..12], result.Error, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task ProgressRedrawnWithCarriageReturns_IsKeptInItsLastStateOnly()
    {
        using var dir = new StarSync.Testing.TempDirectory("gitcli-progress");
        var script = Script(dir.Path, "progress-git.sh",
            "#!/bin/sh\nprintf 'Receiving objects:   1%% (1/3)\\rReceiving objects:  50%% (2/3)\\rReceiving objects: 100%% (3/3), done.\\n' >&2\n" +
            "echo 'fatal: early EOF' >&2\nexit 128\n");
        if (script is null)
        {
            return;
        }

        var result = await Cli(script).RunAsync(new GitInvocation("fetch", [], "fetch"), Ct);

        Assert.Equal("Receiving objects: 100% (3/3), done.\nfatal: early EOF\n", result.Error);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task ParsedOutput_IsKeptWhole_WhileTooMuchOfItFailsPermanently()
    {
        using var dir = new StarSync.Testing.TempDirectory("gitcli-listing");
        // A ref listing of 4 MB (well above the tail) must arrive whole: refs are parsed from it.
        var listing = Script(dir.Path, "listing-git.sh", "#!/bin/sh\nhead -c 4000000 /dev/zero | tr '\\0' 'a'\n");
        var flood = Script(dir.Path, "flood-git.sh", $"#!/bin/sh\nhead -c {GitOutput.WholeLimitBytes + 1} /dev/zero | tr '\\0' 'a'\n");
        if (listing is null || flood is null)
        {
            return;
        }

        var result = await Cli(listing).RunAsync(new GitInvocation("ls-remote", [], "list"), Ct);
        var failure = (await Assert.ThrowsAsync<GitException>(() => Cli(flood).RunAsync(new GitInvocation("for-each-ref", [], "list the fetched refs"), Ct))).Failure;

        Assert.Equal(4_000_000, result.Output.Length);
        Assert.False(failure.Transient, failure.Reason);
        Assert.Equal($"list the fetched refs failed: git for-each-ref printed {GitOutput.WholeLimitBytes + 1} bytes, more than the {GitOutput.WholeLimitBytes} bytes StarSync reads from one command", failure.Reason);
    }

    /// <summary>An executable shell script, or null (and the test skipped) where there is no POSIX shell.</summary>
    private static string? Script(string directory, string name, string text)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("POSIX only");
            return null;
        }
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
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
