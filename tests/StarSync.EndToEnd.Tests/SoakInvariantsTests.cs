using StarSync.EndToEnd.Soak;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>The soak's checks pass a healthy system and name what is wrong with a tampered one.</summary>
[Trait("Category", "Integration")]
public sealed class SoakInvariantsTests(TestServers servers)
{
    [Fact]
    public async Task ForeignRefPushedIntoAMirrorAndAStarLost_EachIsReported()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var stack = await StarSyncStack.StartAsync(servers, starPoller: true, ct: ct);
        var options = new SoakOptions { Seed = 7, ChaosDuration = TimeSpan.Zero, SettleTimeout = TimeSpan.Zero, InitialRepositories = 2 };
        var workload = new SoakWorkload(stack, options, new SoakReport { Seed = 7, UnstarPolicy = "Keep" }, new Random(7), _ => { });
        await workload.SetUpAsync(ct);
        SoakCheck? check = null;
        await Eventually.UntilAsync(async () =>
            (check = await SoakInvariants.CheckAsync(stack, servers, workload.Repositories, "Keep", full: false, ct)) is { Settled: true, Violations.Count: 0 },
            TimeSpan.FromSeconds(90), "the two mirrors are current", ct);
        Assert.Equal(2, check!.RefsCompared);

        var (first, second) = (workload.Repositories[0], workload.Repositories[1]);
        var project = Assert.Single(stack.OneDev.Projects, p => p.Description!.Contains($"(github-id {first.Id})", StringComparison.Ordinal));
        var foreign = (await second.Source.GetRefsAsync())["refs/heads/main"];
        await Git.RunAsync(second.Source.Path, "push", "--quiet", stack.OneDev.RepositoryPath(project.Path), $"{foreign}:refs/heads/foreign");
        stack.GitHub.Unstar(second.Id);
        second.Starred = false;

        var violations = (await SoakInvariants.CheckAsync(stack, servers, workload.Repositories, "Keep", full: true, ct)).Violations;

        Assert.Contains(violations, v => v.Contains($"the refs of {project.Path} differ", StringComparison.Ordinal)
                                         && v.Contains("extra: refs/heads/foreign=" + foreign[..8], StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains($"holds refs/heads/foreign={foreign[..8]}, an object of {second}", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains($"{second}: GitHub says not starred, the saga says starred", StringComparison.Ordinal));
        Assert.Equal(3, violations.Count);
    }
}
