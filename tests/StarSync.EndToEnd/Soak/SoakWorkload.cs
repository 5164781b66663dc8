using System.Globalization;
using System.Net;

namespace StarSync.EndToEnd.Soak;

/// <summary>
/// What a user and GitHub do: stars (signed <c>watch</c>/<c>star</c> webhooks, or left to the star poller), pushes,
/// tags, deleted branches, force-pushes, renames and transfers (followed by a push), unstars, re-stars, new
/// repositories (some on a name another repository had before) and redelivered webhooks. A delivery that Ingress does
/// not accept (it is down, or RabbitMQ is) is sent again until it is, as GitHub's redelivery would.
/// </summary>
internal sealed class SoakWorkload(StarSyncStack stack, SoakOptions options, SoakReport report, Random random, Action<string> log)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Owners = ["soak-alpha", "soak-beta", "soak-gamma"];

    private readonly List<SoakRepository> _repositories = [];
    private (string Event, string DeliveryId, string Body)? _lastDelivery;
    private int _names;

    public IReadOnlyList<SoakRepository> Repositories => _repositories;

    /// <summary>The first repositories, each with commits on two branches and two tags, starred with a webhook.</summary>
    public async Task SetUpAsync(CancellationToken ct)
    {
        for (var i = 0; i < options.InitialRepositories; i++)
        {
            await CreateAsync(reuseName: false, ct);
        }
    }

    /// <summary>Runs operations with short random pauses until <paramref name="stop"/>; the last delivery is always finished.</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken ct)
    {
        while (!stop.IsCancellationRequested)
        {
            await StepAsync(ct);
            try
            {
                await Task.Delay(random.Next(150, 1200), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private Task StepAsync(CancellationToken ct)
    {
        var roll = random.Next(100);
        var repository = _repositories[random.Next(_repositories.Count)];
        return roll switch
        {
            < 30 => PushAsync(repository, ct),
            < 36 => TagAsync(repository, ct),
            < 40 => DeleteBranchAsync(repository, ct),
            < 50 => ForcePushAsync(repository, ct),
            < 57 => RenameAsync(repository, ct),
            < 68 => UnstarAsync(ct),
            < 82 => StarAgainAsync(ct),
            < 90 => _repositories.Count < options.MaxRepositories ? CreateAsync(reuseName: random.Next(3) == 0, ct) : PushAsync(repository, ct),
            _ => RedeliverAsync(repository, ct),
        };
    }

    private async Task CreateAsync(bool reuseName, CancellationToken ct)
    {
        var taken = stack.GitHub.Repositories.Select(r => r.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var former = _repositories.SelectMany(r => r.FormerNames).Where(n => !taken.Contains(n)).ToList();
        var reused = reuseName && former.Count > 0;
        var fullName = reused ? former[random.Next(former.Count)] : NewName();
        var parts = fullName.Split('/');
        var upstream = stack.GitHub.CreateRepository(parts[0], parts[1]);
        var source = await Testing.SourceRepository.CreateAsync(upstream.BareDirectory);
        var repository = new SoakRepository(upstream, source);
        _repositories.Add(repository);
        var first = repository.NextChange();
        var initial = await source.CommitAsync("main", "README.md", repository.Content(first), $"initial {first}");
        var second = repository.NextChange();
        await source.CommitAsync("develop", "src/app.txt", repository.Content(second), $"develop {second}");
        await source.CreateTagAsync("v1.0", initial, annotated: true);
        await source.CreateTagAsync("v1.1", "main");
        await repository.RecordRefsAsync();
        report.Operation(reused ? "create-on-former-name" : "create");
        log($"create {repository}{(reused ? " on a former name" : "")}");
        await StarAsync(repository, ct);
    }

    private async Task PushAsync(SoakRepository repository, CancellationToken ct)
    {
        var refs = await repository.RecordRefsAsync();
        var branches = Branches(refs);
        var change = repository.NextChange();
        var branch = random.Next(6) == 0 || branches.Count == 0 ? $"topic-{change}" : branches[random.Next(branches.Count)];
        await repository.Source.CommitAsync(branch, $"changes/{change}.txt", repository.Content(change), $"change {change}");
        await repository.RecordRefsAsync();
        report.Operation("push");
        log($"push {repository} {branch}");
        await DeliverAsync("push", GitHubWebhooks.Push(repository.Upstream, "refs/heads/" + branch, forced: false, deleted: false), ct);
    }

    private async Task TagAsync(SoakRepository repository, CancellationToken ct)
    {
        var branches = Branches(await repository.RecordRefsAsync());
        var tag = "t" + repository.NextChange().ToString(CultureInfo.InvariantCulture);
        await repository.Source.CreateTagAsync(tag, branches[random.Next(branches.Count)], annotated: random.Next(2) == 0);
        await repository.RecordRefsAsync();
        report.Operation("tag");
        log($"tag {repository} {tag}");
        await DeliverAsync("push", GitHubWebhooks.Push(repository.Upstream, "refs/tags/" + tag, forced: false, deleted: false), ct);
    }

    private async Task DeleteBranchAsync(SoakRepository repository, CancellationToken ct)
    {
        var others = Branches(await repository.RecordRefsAsync()).Where(b => b != repository.Upstream.DefaultBranch).ToList();
        if (others.Count == 0)
        {
            await PushAsync(repository, ct);
            return;
        }
        var branch = others[random.Next(others.Count)];
        await repository.Source.DeleteBranchAsync(branch);
        report.Operation("delete-branch");
        log($"delete-branch {repository} {branch}");
        await DeliverAsync("push", GitHubWebhooks.Push(repository.Upstream, "refs/heads/" + branch, forced: false, deleted: true), ct);
    }

    private async Task ForcePushAsync(SoakRepository repository, CancellationToken ct)
    {
        var branches = Branches(await repository.RecordRefsAsync());
        var branch = branches[random.Next(branches.Count)];
        await repository.Source.RewriteBranchAsync(branch, repository.Content(repository.NextChange()));
        await repository.RecordRefsAsync();
        report.Operation("force-push");
        log($"force-push {repository} {branch}");
        await DeliverAsync("push", GitHubWebhooks.Push(repository.Upstream, "refs/heads/" + branch, forced: true, deleted: false), ct);
    }

    /// <summary>A rename (or a transfer to another owner), then a push under the new name.</summary>
    private async Task RenameAsync(SoakRepository repository, CancellationToken ct)
    {
        var old = repository.Upstream.FullName;
        var target = NewName();
        var parts = target.Split('/');
        stack.GitHub.RenameRepository(repository.Id, parts[0], parts[1]);
        repository.FormerNames.Add(old);
        report.Operation(parts[0] == old.Split('/')[0] ? "rename" : "transfer");
        log($"rename {old} -> {repository}");
        await PushAsync(repository, ct);
    }

    private async Task UnstarAsync(CancellationToken ct)
    {
        var starred = _repositories.Where(r => r.Starred).ToList();
        if (starred.Count == 0)
        {
            await StarAgainAsync(ct);
            return;
        }
        var repository = starred[random.Next(starred.Count)];
        stack.GitHub.Unstar(repository.Id);
        repository.Starred = false;
        if (random.Next(4) == 0)
        {
            // No webhook: the poller's reconciliation finds the star gone.
            report.Operation("unstar-by-poller");
            log($"unstar {repository} (poller)");
            return;
        }
        report.Operation("unstar");
        log($"unstar {repository}");
        await DeliverAsync("star", GitHubWebhooks.StarDeleted(repository.Upstream), ct);
    }

    private async Task StarAgainAsync(CancellationToken ct)
    {
        var unstarred = _repositories.Where(r => !r.Starred).ToList();
        if (unstarred.Count == 0)
        {
            await PushAsync(_repositories[random.Next(_repositories.Count)], ct);
            return;
        }
        report.Operation("re-star");
        await StarAsync(unstarred[random.Next(unstarred.Count)], ct);
    }

    /// <summary>Stars on GitHub, then a <c>watch</c> or <c>star</c> webhook, or none (the poller finds it).</summary>
    private async Task StarAsync(SoakRepository repository, CancellationToken ct)
    {
        stack.GitHub.Star(repository.Id);
        repository.Starred = true;
        switch (random.Next(4))
        {
            case 0:
                log($"star {repository} (poller)");
                report.Operation("star-by-poller");
                break;
            case 1:
                log($"star {repository} (star webhook)");
                report.Operation("star-webhook");
                await DeliverAsync("star", GitHubWebhooks.StarCreated(repository.Upstream), ct);
                break;
            default:
                log($"star {repository} (watch webhook)");
                report.Operation("watch-webhook");
                await DeliverAsync("watch", GitHubWebhooks.WatchStarted(repository.Upstream), ct);
                break;
        }
    }

    /// <summary>GitHub delivers the last webhook again with the same delivery id (its redelivery).</summary>
    private async Task RedeliverAsync(SoakRepository repository, CancellationToken ct)
    {
        if (_lastDelivery is not { } last)
        {
            await PushAsync(repository, ct);
            return;
        }
        report.Operation("redelivery");
        log($"redeliver {last.Event} {last.DeliveryId}");
        await DeliverAsync(last.Event, last.Body, ct, last.DeliveryId);
    }

    private async Task DeliverAsync(string @event, string body, CancellationToken ct, string? deliveryId = null)
    {
        deliveryId ??= $"soak-{Guid.NewGuid():N}";
        _lastDelivery = (@event, deliveryId, body);
        var deadline = DateTime.UtcNow + DeliveryTimeout;
        string? lastFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, @event, deliveryId, body, ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    if (attempt > 1)
                    {
                        report.Operation("webhook-resent");
                    }
                    return;
                }
                var status = (int)response.StatusCode;
                if (status is >= 400 and < 500 and not 408 and not 429)
                {
                    report.Problem($"Ingress answered {status} to a signed {@event} delivery {deliveryId}: {await response.Content.ReadAsStringAsync(ct)}");
                    return;
                }
                lastFailure = $"HTTP {status}";
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                lastFailure = ex.Message;
            }
            if (DateTime.UtcNow >= deadline)
            {
                report.Problem($"Ingress did not accept the {@event} delivery {deliveryId} within {DeliveryTimeout.TotalSeconds:0} s (last: {lastFailure})");
                return;
            }
            // GitHub's redeliveries are spaced too; this is the workload's pace, not a wait for a result.
            await Task.Delay(random.Next(250, 1000), ct);
        }
    }

    private string NewName()
    {
        var n = Interlocked.Increment(ref _names);
        return $"{Owners[random.Next(Owners.Length)]}/repo-{n.ToString(CultureInfo.InvariantCulture)}";
    }

    private static List<string> Branches(IReadOnlyDictionary<string, string> refs) =>
        [.. refs.Keys.Where(r => r.StartsWith("refs/heads/", StringComparison.Ordinal)).Select(r => r["refs/heads/".Length..]).Order(StringComparer.Ordinal)];
}
