using MassTransit;
using StarSync.Contracts;
using StarSync.ServiceDefaults;

namespace StarSync.Orchestrator.Tests.Logging;

public sealed class MirrorLogScopeTests
{
    private static readonly Guid Mirror = MirrorIds.ForGitHubRepository(42);

    private static readonly GitHubRepository Repository = new(42, "octo", "repo", "octo/repo",
        "https://github.com/octo/repo.git", "https://github.com/octo/repo", "main", false, 10, null);

    [Fact]
    public void MessageWithItsRepository_MirrorIdAndTheRepositorysId()
    {
        var scope = MirrorLogScope.Read(new RepositoryStarred(Mirror, Repository, DateTimeOffset.UnixEpoch, "webhook", "d-1"), typeof(RepositoryStarred));

        Assert.Equal([new("MirrorId", Mirror), new("GitHubId", 42L)], scope!);
    }

    [Fact]
    public void MessageWithAGitHubId_MirrorIdAndThatId()
    {
        var scope = MirrorLogScope.Read(new RepositorySyncRequested(Mirror, 42, "push", "d-2", DateTimeOffset.UnixEpoch), typeof(RepositorySyncRequested));

        Assert.Equal([new("MirrorId", Mirror), new("GitHubId", 42L)], scope!);
    }

    [Fact]
    public void MessageWithAMirrorIdOnly_MirrorIdAlone()
    {
        var scope = MirrorLogScope.Read(new MirrorRetryDue(Mirror, 3), typeof(MirrorRetryDue));

        Assert.Equal([new("MirrorId", Mirror)], scope!);
    }

    [Fact]
    public void FaultOfAMirrorMessage_TheFaultedMessagesIds()
    {
        var fault = new FaultOf(new MirrorRetryDue(Mirror, 1));

        var scope = MirrorLogScope.Read(fault, typeof(Fault<MirrorRetryDue>));

        Assert.Equal([new("MirrorId", Mirror)], scope!);
    }

    [Fact]
    public void MessageWithoutAMirror_NoScope() => Assert.Null(MirrorLogScope.Read(new ListMirrors(null, 0, 10), typeof(ListMirrors)));

    private sealed class FaultOf(MirrorRetryDue message) : Fault<MirrorRetryDue>
    {
        public Guid FaultId { get; } = Guid.NewGuid();
        public Guid? FaultedMessageId => null;
        public DateTime Timestamp => DateTime.UnixEpoch;
        public ExceptionInfo[] Exceptions => [];
        public HostInfo Host => null!;
        public string[] FaultMessageTypes => [];
        public MirrorRetryDue Message { get; } = message;
    }
}
