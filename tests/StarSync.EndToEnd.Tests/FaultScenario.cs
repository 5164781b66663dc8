using System.Security.Cryptography;
using StarSync.Emulators;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>What every fault test does around its fault: a source repository, a star, and the final checks.</summary>
public static class FaultScenario
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Settings that let the saga's deadlines and retries act within a test's time.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ShortDeadlines = new Dictionary<string, string?>
    {
        ["Mirroring__ProjectDeadline"] = "00:00:10",
        ["Mirroring__QueueDeadline"] = "00:00:20",
        ["Mirroring__MirrorDeadline"] = "00:00:40",
        ["Mirroring__RetryBaseDelay"] = "00:00:01",
        ["Sweeper__Interval"] = "00:00:01",
    };

    /// <summary>A repository with two branches and two tags; <paramref name="largeFiles"/> adds incompressible blobs of 8 MB each.</summary>
    public static async Task<(EmulatedRepository Repository, SourceRepository Source)> CreateRepositoryAsync(
        StarSyncStack stack, string name, int largeFiles = 0)
    {
        var repository = stack.GitHub.CreateRepository("faults", name);
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        var first = await source.CommitAsync("main", "README.md", "hello", "initial");
        for (var i = 0; i < largeFiles; i++)
        {
            await source.CommitAsync("main", $"data/blob-{i}.bin", Convert.ToBase64String(RandomNumberGenerator.GetBytes(6 * 1024 * 1024)), $"large {i}");
        }
        await source.CommitAsync("develop", "src/app.txt", "develop work", "develop");
        await source.CreateTagAsync("v1.0", first, annotated: true);
        await source.CreateTagAsync("v1.1", "main");
        return (repository, source);
    }

    public static async Task StarAsync(StarSyncStack stack, EmulatedRepository repository, CancellationToken ct)
    {
        using var response = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", $"fault-{Guid.NewGuid():N}",
            GitHubWebhooks.WatchStarted(repository), ct);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Waits until the saga is in <paramref name="state"/> and returns it (explains a timeout with history and logs).</summary>
    public static async Task<MirrorRow> WaitForAsync(StarSyncStack stack, EmulatedRepository repository, string state,
        CancellationToken ct, Func<MirrorRow, bool>? also = null)
    {
        MirrorRow? row = null;
        try
        {
            await Eventually.UntilAsync(async () => (row = await stack.FindMirrorAsync(repository.Id, ct)) is { } r
                && r.State == state && (also is null || also(r)), Timeout, $"{repository.FullName} is {state}", ct);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Last seen: {row}. History: {string.Join(", ", await SafeHistoryAsync(stack, repository, ct))}. Logs:\n{stack.LogTail(60)}", ex);
        }
        return row!;
    }

    /// <summary>The sync ends Completed, OneDev serves exactly the source's heads and tags, and there is one project.</summary>
    public static async Task<MirrorRow> AssertMirroredAsync(StarSyncStack stack, EmulatedRepository repository,
        SourceRepository source, CancellationToken ct)
    {
        var mirror = await WaitForAsync(stack, repository, "Completed", ct);
        var history = string.Join(", ", await stack.HistoryAsync(repository.Id, ct));
        TestContext.Current.TestOutputHelper?.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} {repository.FullName}: {mirror}; history: {history}");
        var expected = (await source.GetRefsAsync()).OrderBy(r => r.Key).ToList();
        var actual = (await stack.OneDevRefsAsync(mirror.ProjectPath!, ct)).OrderBy(r => r.Key).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"OneDev refs differ from the source.\nexpected: {string.Join(", ", expected)}\nactual: {string.Join(", ", actual)}\nhistory: {history}");
        Assert.True(stack.OneDev.Projects.Count == 1,
            $"expected one OneDev project, found {string.Join(", ", stack.OneDev.Projects.Select(p => p.Path))}; history: {history}");
        Assert.Equal(1, mirror.TotalMirrors);
        return mirror;
    }

    private static async Task<IReadOnlyList<string>> SafeHistoryAsync(StarSyncStack stack, EmulatedRepository repository, CancellationToken ct)
    {
        try
        {
            return await stack.HistoryAsync(repository.Id, ct);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return [$"(history unreadable: {ex.Message})"];
        }
    }
}
