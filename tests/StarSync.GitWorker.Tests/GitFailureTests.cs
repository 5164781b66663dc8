using StarSync.GitWorker.Git;

namespace StarSync.GitWorker.Tests;

public sealed class GitFailureTests
{
    [Theory]
    [InlineData("fatal: Authentication failed for 'https://github.com/o/r.git/'")]
    [InlineData("fatal: could not read Username for 'https://github.com': terminal prompts disabled")]
    [InlineData("remote: Repository not found.\nfatal: repository 'https://github.com/o/r.git/' not found")]
    [InlineData("fatal: repository 'http://127.0.0.1:5000/o/r.git/' not found")]
    [InlineData("error: RPC failed; HTTP 401 curl 22 The requested URL returned error: 401")]
    [InlineData("fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 403")]
    [InlineData("remote: You do not have permission to push to this project.\nfatal: unable to access 'http://onedev/p.git/': The requested URL returned error: 403")]
    [InlineData("! refs/heads/x:refs/heads/x [remote rejected] (pre-receive hook declined)\nerror: failed to push some refs to 'http://onedev/p.git'")]
    [InlineData("! refs/heads/master:refs/heads/master [remote rejected] (deletion of the current branch prohibited)")]
    public void AuthAndRejection_ArePermanent(string stderr)
    {
        var failure = GitFailure.Classify("push to OneDev", 128, stderr);

        Assert.False(failure.Transient, failure.Reason);
        Assert.StartsWith("push to OneDev failed: ", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com")]
    [InlineData("fatal: unable to access 'http://127.0.0.1:1/o/r.git/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Connection refused")]
    [InlineData("fatal: unable to access 'https://github.com/o/r.git/': Recv failure: Connection reset by peer")]
    [InlineData("fatal: unable to access 'https://github.com/o/r.git/': Operation timed out after 300000 milliseconds")]
    [InlineData("error: RPC failed; curl 18 transfer closed with outstanding read data remaining\nfatal: early EOF")]
    [InlineData("fatal: the remote end hung up unexpectedly")]
    [InlineData("fatal: unable to access 'https://github.com/o/r.git/': The requested URL returned error: 502")]
    [InlineData("error: RPC failed; HTTP 503 curl 22 The requested URL returned error: 503")]
    [InlineData("error: RPC failed; curl 28 Operation too slow. Less than 1000 bytes/sec transferred the last 120 seconds")]
    [InlineData("something git has never said before")]
    [InlineData("")]
    public void NetworkServerAndUnknownFailures_AreTransient(string stderr)
    {
        var failure = GitFailure.Classify("fetch from GitHub", 128, stderr);

        Assert.True(failure.Transient, failure.Reason);
    }

    [Fact]
    public void Reason_NamesOperationCauseAndGitsWords()
    {
        var failure = GitFailure.Classify(
            "fetch from GitHub",
            128,
            "hint: something irrelevant\nfatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com\n");

        Assert.Equal(
            "fetch from GitHub failed: could not resolve host (git exited with code 128: fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com)",
            failure.Reason);
    }

    [Fact]
    public void Reason_IsBounded()
    {
        var failure = GitFailure.Classify("push to OneDev", 1, "error: " + new string('x', 5000));

        Assert.True(failure.Reason.Length < 800, failure.Reason);
    }

    [Fact]
    public void Timeout_IsTransientAndSaysHowLong()
    {
        var failure = GitFailure.TimedOut("mirror", TimeSpan.FromMinutes(30));

        Assert.True(failure.Transient);
        Assert.Equal("mirror timed out after 00:30:00", failure.Reason);
    }

    [Fact]
    public void ProgressLines_AreNeverTheReason()
    {
        const string stderr = "remote: Enumerating objects: 5, done.\nremote: Total 3 (delta 0), reused 0 (delta 0)\n" +
            "Receiving objects: 100% (3/3), done.\nDownloading LFS objects:  50% (1/2), 40 KB | 0 B/s\nerror: the one that matters";

        var failure = GitFailure.Classify("fetch from GitHub", 1, stderr);

        Assert.Equal("fetch from GitHub failed: unrecognised git error (git exited with code 1: error: the one that matters)", failure.Reason);
    }
}
