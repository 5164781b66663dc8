using System.Diagnostics;
using StarSync.Contracts;
using StarSync.Otlp;
using StarSync.Testing;

namespace StarSync.EndToEnd.Tests;

/// <summary>
/// The three real processes export OTLP/gRPC to a receiver this test hosts, which decodes the real wire format: one
/// sync is one trace, whatever started it (a webhook, the star poller, a refresh).
/// </summary>
[Trait("Category", "Integration")]
public sealed class TracingEndToEndTests(TestServers servers)
{
    private const string Ingress = "StarSync.Ingress";
    private const string Orchestrator = "StarSync.Orchestrator";
    private const string GitWorker = "StarSync.GitWorker";

    [Fact]
    public async Task WebhookSync_IsOneTraceAcrossTheThreeServices_RootedAtTheWebhookRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        await using var stack = await StarSyncStack.StartAsync(servers, everyService: Exporting(receiver), ct: ct,
            ingressSettings: new Dictionary<string, string?> { ["Ingress__JaegerUrl"] = "http://jaeger.test:16686" });
        var repository = stack.GitHub.CreateRepository("octo", "traced");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");
        const string delivery = "trace-star-1";
        // Routine requests make no trace: probes and scrapes of every service, and the status page's own requests.
        using var http = new HttpClient();
        foreach (var service in stack.Processes)
        {
            foreach (var path in new[] { "health", "alive", "metrics" })
            {
                using var routine = await http.GetAsync(new Uri(service.BaseUrl, path), ct);
                Assert.True(routine.IsSuccessStatusCode, $"{service} /{path}: {routine.StatusCode}");
            }
        }
        using (var background = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Ingress.BaseUrl, "admin/mirrors/900001")))
        {
            background.Headers.Authorization = new("Bearer", StarSyncStack.AdminToken);
            background.Headers.Add("StarSync-Background", "true");
            using var answered = await http.SendAsync(background, ct);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, answered.StatusCode);
        }
        using (var operator_ = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Ingress.BaseUrl, "admin/mirrors/900002")))
        {
            operator_.Headers.Authorization = new("Bearer", StarSyncStack.AdminToken);
            using var answered = await http.SendAsync(operator_, ct);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, answered.StatusCode);
        }

        using (await GitHubWebhooks.SendAsync(stack.Ingress.BaseUrl, "watch", delivery, GitHubWebhooks.WatchStarted(repository), ct)) { }
        await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(90), ct);

        var spans = await receiver.WaitForSpansAsync(
            s => s.FirstOrDefault(x => Attribute(x, "github.delivery") == delivery) is { } root && SyncEnded(s, root.TraceId),
            TimeSpan.FromSeconds(60), ct);
        var tree = new SpanTree(spans);
        var webhook = Assert.Single(spans, s => Attribute(s, "github.delivery") == delivery);
        Assert.Equal(Ingress, webhook.ServiceName);
        Assert.Equal(ActivityKind.Server, webhook.Kind);
        Assert.Equal("watch", Attribute(webhook, "github.event"));
        Assert.Equal(repository.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Attribute(webhook, "github.repository.id"));
        Assert.Equal([webhook], tree.RootsOf(webhook.TraceId));
        AssertOneSync(tree, webhook.TraceId, repository.Id, stack, fromIngress: true, firstSync: true);

        // The admin API names the trace of each step of the sync and links it to Jaeger.
        using var operatorView = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.Ingress.BaseUrl, $"admin/mirrors/{repository.Id}"));
        operatorView.Headers.Authorization = new("Bearer", StarSyncStack.AdminToken);
        using var status = await http.SendAsync(operatorView, ct);
        using var json = System.Text.Json.JsonDocument.Parse(await status.Content.ReadAsStringAsync(ct));
        Assert.Equal(webhook.TraceId, json.RootElement.GetProperty("traceId").GetString());
        Assert.Equal($"http://jaeger.test:16686/trace/{webhook.TraceId}", json.RootElement.GetProperty("traceUrl").GetString());
        var lines = json.RootElement.GetProperty("history").EnumerateArray()
            .ToDictionary(h => $"{h.GetProperty("event").GetString()}/{h.GetProperty("outcome").GetString()}", h => h.GetProperty("traceId").GetString());
        Assert.Equal(webhook.TraceId, lines["star/accepted"]);
        Assert.Equal(webhook.TraceId, lines["mirror/completed"]);

        // Each service's /metrics (Prometheus' text format) counted the sync.
        var metrics = new Dictionary<string, string>();
        foreach (var service in new[] { stack.Ingress, stack.Orchestrators[0], stack.GitWorkers[0] })
        {
            metrics[service.ToString()!] = await http.GetStringAsync(new Uri(service.BaseUrl, "metrics"), ct);
        }
        var ingress = metrics[stack.Ingress.ToString()!];
        var orchestrator = metrics[stack.Orchestrators[0].ToString()!];
        var gitWorker = metrics[stack.GitWorkers[0].ToString()!];
        AssertMetric(ingress, "starsync_webhooks_total", "event=\"watch\"", "outcome=\"accepted\"");
        AssertMetric(ingress, "starsync_publish_confirm_duration_seconds_count", "outcome=\"confirmed\"");
        AssertMetric(orchestrator, "starsync_syncs_started_total", "trigger=\"star\"");
        AssertMetric(orchestrator, "starsync_syncs_completed_total", "trigger=\"star\"", "result=\"pushed\"");
        AssertMetric(orchestrator, "starsync_sync_duration_seconds_count", "outcome=\"completed\"");
        AssertMetric(orchestrator, "starsync_mirrors", "state=\"Completed\"");
        AssertMetric(gitWorker, "starsync_git_command_duration_seconds_count", "command=\"push\"", "outcome=\"ok\"");
        AssertMetric(gitWorker, "starsync_git_transferred_bytes_total", "command=\"push\"");
        AssertMetric(gitWorker, "starsync_gitworker_job_duration_seconds_count", "outcome=\"completed\"");

        // The operator's request, made before the webhook, was exported before the webhook's spans: it is traced, the
        // routine ones are not, and nothing ran under them (their whole trace is unrecorded).
        Assert.Contains(spans, s => s.ServiceName == Ingress && Attribute(s, "url.path") == "/admin/mirrors/900002");
        var routineSpans = spans.Where(s => Attribute(s, "url.path") is "/health" or "/alive" or "/metrics" or "/admin/mirrors/900001").ToList();
        Assert.True(routineSpans.Count == 0, string.Join(", ", routineSpans.Select(s => $"{s.ServiceName} {s.Name} {Attribute(s, "url.path")}")));
    }

    [Fact]
    public async Task PolledStarAndRefresh_EachIsOneTraceOfItsOwn_TheRefreshLinkedToTheSyncBefore()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync(ct);
        await using var stack = await StarSyncStack.StartAsync(servers, starPoller: true, everyService: Exporting(receiver), ct: ct);
        var repository = stack.GitHub.CreateRepository("someone-else", "traced-poll");
        var source = await SourceRepository.CreateAsync(repository.BareDirectory);
        await source.CommitAsync("main", "a.txt", "a", "first");

        stack.GitHub.Star(repository.Id);
        await stack.WaitForStateAsync(repository.Id, "Completed", TimeSpan.FromSeconds(90), ct);

        var polled = await receiver.WaitForSpansAsync(
            s => s.FirstOrDefault(x => x.Name == "star discovered" && Attribute(x, "github.repository.id") == Id(repository.Id)) is { } root
                 && SyncEnded(s, root.TraceId),
            TimeSpan.FromSeconds(60), ct);
        var discovered = Assert.Single(polled, s => s.Name == "star discovered");
        Assert.Equal(Orchestrator, discovered.ServiceName);
        Assert.Equal("poll", Attribute(discovered, "starsync.star.source"));
        Assert.Equal([discovered], new SpanTree(polled).RootsOf(discovered.TraceId));
        AssertOneSync(new SpanTree(polled), discovered.TraceId, repository.Id, stack, fromIngress: false, firstSync: true);

        await source.CommitAsync("main", "b.txt", "b", "second");
        await stack.MakeRefreshDueAsync(repository.Id, ct);
        await stack.WaitForHistoryAsync(repository.Id, "mirror/completed", 2, TimeSpan.FromSeconds(90), ct);

        var spans = await receiver.WaitForSpansAsync(
            s => s.FirstOrDefault(x => x.Name == "mirror refresh due") is { } root && SyncEnded(s, root.TraceId),
            TimeSpan.FromSeconds(60), ct);
        var tree = new SpanTree(spans);
        var refresh = Assert.Single(spans, s => s.Name == "mirror refresh due");
        Assert.Equal(Orchestrator, refresh.ServiceName);
        Assert.NotEqual(discovered.TraceId, refresh.TraceId);
        Assert.Equal([refresh], tree.RootsOf(refresh.TraceId));
        var link = Assert.Single(refresh.Links);
        Assert.Equal(discovered.TraceId, link.TraceId);
        AssertOneSync(tree, refresh.TraceId, repository.Id, stack, fromIngress: false, firstSync: false);
    }

    /// <summary>
    /// What every sync's trace holds: spans of the Orchestrator, the GitWorker and (for a webhook) the Ingress; the saga's transitions; the OneDev REST calls and
    /// database commands of the Orchestrator; git fetch and push under the GitWorker's consume span; no secret.
    /// </summary>
    private static void AssertOneSync(SpanTree tree, string traceId, long gitHubId, StarSyncStack stack, bool fromIngress, bool firstSync)
    {
        var trace = tree.InTrace(traceId);
        Assert.Superset(new HashSet<string?> { Ingress, Orchestrator, GitWorker }.Where(n => fromIngress || n != Ingress).ToHashSet(),
            trace.Select(s => s.ServiceName).ToHashSet());
        var mirrorId = MirrorIds.ForGitHubRepository(gitHubId).ToString();

        var mirrored = Assert.Single(trace, s => s.Name == "mirror saga Mirrored");
        Assert.Equal(Orchestrator, mirrored.ServiceName);
        Assert.Equal("Completed", Attribute(mirrored, "starsync.saga.to"));
        Assert.Equal(mirrorId, Attribute(mirrored, "starsync.mirror.id"));
        if (firstSync)
        {
            var starred = Assert.Single(trace, s => s.Name == "mirror saga Starred");
            Assert.Equal("Initial", Attribute(starred, "starsync.saga.from"));
            Assert.Equal("Pending", Attribute(starred, "starsync.saga.to"));
            Assert.Contains(trace, s => s is { ServiceName: Orchestrator, Kind: ActivityKind.Client }
                                        && Attribute(s, "url.full") is { } url && url.StartsWith(stack.OneDev.BaseUrl.ToString(), StringComparison.Ordinal));
        }
        Assert.Contains(trace, s => s.ServiceName == Orchestrator && Attribute(s, "db.system.name") is "postgresql"
                                    || s.ServiceName == Orchestrator && Attribute(s, "db.system") is "postgresql");

        var job = Assert.Single(trace, s => s.Name == "mirror repository");
        Assert.Equal(GitWorker, job.ServiceName);
        var consume = tree.ParentOf(job);
        Assert.NotNull(consume);
        Assert.Equal((GitWorker, ActivityKind.Consumer), (consume.ServiceName, consume.Kind));
        foreach (var command in new[] { "git fetch", "git push" })
        {
            var git = Assert.Single(trace, s => s.Name == command && tree.IsDescendantOf(s, consume));
            Assert.Equal("0", Attribute(git, "process.exit.code"));
            Assert.Equal("transfer", Attribute(git, "git.command.kind"));
        }

        // Every span about this mirror, from whichever service, belongs to this sync's trace or an earlier one.
        var secrets = new[] { stack.OneDev.Token, stack.GitHub.Token, StarSyncStack.WebhookSecret, StarSyncStack.AdminToken };
        foreach (var span in trace)
        {
            foreach (var (key, value) in span.Attributes)
            {
                Assert.DoesNotContain(secrets, s => value?.ToString()?.Contains(s, StringComparison.Ordinal) == true);
            }
        }
    }

    /// <summary>
    /// The sync of that trace reached its end and its spans are in: the saga took the GitWorker's result, the git push
    /// ran, and every ancestor of those spans up to the root has been exported (a parent ends after its children, so
    /// it may come in a later export).
    /// </summary>
    private static bool SyncEnded(IReadOnlyList<ReceivedSpan> spans, string traceId)
    {
        var inTrace = spans.Where(s => s.TraceId == traceId).ToDictionary(s => s.SpanId);
        bool ReachesRoot(ReceivedSpan span)
        {
            for (var current = span; !current.IsRoot; current = inTrace[current.ParentSpanId!])
            {
                if (!inTrace.ContainsKey(current.ParentSpanId!))
                {
                    return false;
                }
            }
            return true;
        }
        var ends = inTrace.Values.Where(s => s.Name is "mirror saga Mirrored" or "git push" or "mirror repository").ToList();
        return ends.Select(s => s.Name).Distinct().Count() == 3 && ends.All(ReachesRoot);
    }

    /// <summary>A sample of <paramref name="name"/> whose labels include every <paramref name="labels"/> pair (<c>key=\"value\"</c>).</summary>
    private static void AssertMetric(string scraped, string name, params string[] labels) =>
        Assert.True(scraped.Split('\n').Any(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(p => l.Contains(p, StringComparison.Ordinal))),
            $"no {name} with {string.Join(", ", labels)} in:\n{string.Join('\n', scraped.Split('\n').Where(l => l.StartsWith("starsync", StringComparison.Ordinal)))}");

    private static string? Attribute(ReceivedSpan span, string key) =>
        span.Attributes.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>OTLP to the receiver, exported within a fraction of a second (the SDK's standard variables).</summary>
    private static Dictionary<string, string?> Exporting(OtlpReceiver receiver) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint.ToString(),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };
}
