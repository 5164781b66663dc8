using System.Buffers;
using System.Globalization;
using System.Text.Json;

using MassTransit;

using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

using StarSync.Contracts;
using StarSync.ServiceDefaults;

namespace StarSync.Ingress.Admin;

/// <summary>
/// The admin API's handlers. The caller is already authenticated (<see cref="AdminAuthenticationMiddleware"/>).
/// Reads ask the Orchestrator over the bus and answer 503 when it does not answer in time; commands are published
/// like webhook deliveries (Mandatory, bounded by <see cref="IngressOptions.PublishTimeout"/>) and answered 202 only
/// once the broker confirmed.
/// </summary>
internal sealed class AdminApi(
    IPublishEndpoint publishEndpoint,
    IBusControl bus,
    IRequestClient<GetMirrorStatus> statusClient,
    IRequestClient<ListMirrors> listClient,
    IRequestClient<BackfillStars> backfillClient,
    IOptions<IngressOptions> options,
    TimeProvider time,
    ILogger<AdminApi> logger)
{
    public const string Source = "admin";
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int HistoryLimit = 50;
    public const int MinIntervalSeconds = 60;
    public const int RetryAfterSeconds = 30;
    public const string StarPollingNotConfigured = "star polling is not configured";

    private const int MaxBodyBytes = 4 * 1024;

    public async Task<IResult> ListAsync(HttpContext http)
    {
        var query = http.Request.Query;
        string? state = null;
        if (query.TryGetValue("state", out var stateValues) && !string.IsNullOrEmpty(stateValues.ToString()))
        {
            state = MirrorStates.All.FirstOrDefault(s => s.Equals(stateValues.ToString(), StringComparison.OrdinalIgnoreCase));
            if (state is null || stateValues.Count != 1)
            {
                return BadRequest($"state must be one of {string.Join(", ", MirrorStates.All)}.");
            }
        }
        if (!TryReadInt(query, "offset", 0, out var offset) || offset < 0)
        {
            return BadRequest("offset must be an integer of at least 0.");
        }
        if (!TryReadInt(query, "limit", DefaultLimit, out var limit) || limit is < 1 or > MaxLimit)
        {
            return BadRequest(string.Create(CultureInfo.InvariantCulture, $"limit must be an integer from 1 to {MaxLimit}."));
        }
        return await AskAsync(http, nameof(ListMirrors),
            async (ct, timeout) => (IResult)TypedResults.Ok(
                WithTraceLinks((await listClient.GetResponse<MirrorList>(new ListMirrors(state, offset, limit), ct, timeout)).Message)));
    }

    public async Task<IResult> StatusAsync(HttpContext http, string githubId)
    {
        if (!TryParseGitHubId(githubId, out var id))
        {
            return InvalidGitHubId();
        }
        return await AskAsync(http, nameof(GetMirrorStatus), async (ct, timeout) =>
        {
            var response = await statusClient.GetResponse<MirrorStatus, MirrorNotFound>(
                new GetMirrorStatus(id, HistoryLimit), ct, timeout);
            return response.Is(out Response<MirrorStatus>? found)
                ? (IResult)TypedResults.Ok(WithTraceLinks(found.Message))
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                    detail: string.Create(CultureInfo.InvariantCulture, $"StarSync has no mirror of GitHub repository {id}."));
        });
    }

    private MirrorList WithTraceLinks(MirrorList list) =>
        options.Value.JaegerUrl is null ? list : list with { Mirrors = [.. list.Mirrors.Select(WithTraceLinks)] };

    /// <summary>The mirror's and each history line's Jaeger link, when <see cref="IngressOptions.JaegerUrl"/> is set.</summary>
    private MirrorStatus WithTraceLinks(MirrorStatus status)
    {
        var settings = options.Value;
        return settings.JaegerUrl is null ? status : status with
        {
            TraceUrl = settings.TraceUrl(status.TraceId),
            History = [.. status.History.Select(h => h with { TraceUrl = settings.TraceUrl(h.TraceId) })],
        };
    }

    public async Task<IResult> SyncAsync(HttpContext http, string githubId)
    {
        if (!TryParseGitHubId(githubId, out var id))
        {
            return InvalidGitHubId();
        }
        var mirrorId = MirrorIds.ForGitHubRepository(id);
        // A fresh delivery id each time: the saga ignores a delivery id it has seen, and every click means "sync now".
        var deliveryId = $"{Source}:{Guid.CreateVersion7():N}";
        var unavailable = await PublishAsync(http, new RepositorySyncRequested(mirrorId, id, Source, deliveryId, time.GetUtcNow()));
        if (unavailable is not null)
        {
            return unavailable;
        }
        logger.AdminSyncRequested(id, mirrorId, deliveryId);
        return TypedResults.Accepted(StatusPath(id), new SyncReply(mirrorId, deliveryId));
    }

    public async Task<IResult> SetIntervalAsync(HttpContext http, string githubId)
    {
        if (!TryParseGitHubId(githubId, out var id))
        {
            return InvalidGitHubId();
        }
        var (seconds, problem) = await ReadIntervalAsync(http);
        if (problem is not null)
        {
            return problem;
        }
        var mirrorId = MirrorIds.ForGitHubRepository(id);
        var unavailable = await PublishAsync(http, new SetMirrorSyncInterval(mirrorId, seconds));
        if (unavailable is not null)
        {
            return unavailable;
        }
        logger.AdminIntervalSet(id, mirrorId, seconds);
        return TypedResults.Accepted(StatusPath(id), new IntervalReply(mirrorId, seconds));
    }

    public async Task<IResult> SetBuildSpecPolicyAsync(HttpContext http, string githubId)
    {
        if (!TryParseGitHubId(githubId, out var id))
        {
            return InvalidGitHubId();
        }
        var (policy, problem) = await ReadBuildSpecPolicyAsync(http);
        if (problem is not null)
        {
            return problem;
        }
        var mirrorId = MirrorIds.ForGitHubRepository(id);
        var unavailable = await PublishAsync(http, new SetMirrorBuildSpecPolicy(mirrorId, policy));
        if (unavailable is not null)
        {
            return unavailable;
        }
        logger.AdminBuildSpecPolicySet(id, mirrorId, policy?.ToString() ?? "default");
        return TypedResults.Accepted(StatusPath(id), new BuildSpecPolicyReply(mirrorId, policy?.ToString()));
    }

    public async Task<IResult> RetryFailedAsync(HttpContext http)
    {
        var requestedAt = time.GetUtcNow();
        var unavailable = await PublishAsync(http, new RetryFailedMirrors(requestedAt));
        if (unavailable is not null)
        {
            return unavailable;
        }
        logger.AdminRetryFailedRequested(requestedAt);
        return TypedResults.Accepted((string?)null, new RetryFailedReply(requestedAt));
    }

    /// <summary>
    /// Asks the star poller, which runs in the Orchestrator, for a backfill. 503 "star polling is not configured" when
    /// the Orchestrator answers that polling is off (why is logged there and here, not answered), 503 like every other
    /// request when it does not answer within <see cref="IngressOptions.AdminRequestTimeout"/>.
    /// </summary>
    public async Task<IResult> BackfillAsync(HttpContext http) =>
        await AskAsync(http, nameof(BackfillStars), async (ct, timeout) =>
        {
            var response = await backfillClient.GetResponse<StarBackfillRequested, StarPollingUnavailable>(
                new BackfillStars(Guid.NewGuid(), time.GetUtcNow()), ct, timeout);
            if (response.Is(out Response<StarPollingUnavailable>? off))
            {
                logger.AdminBackfillUnavailable(off.Message.Reason);
                return Unavailable(http, StarPollingNotConfigured);
            }
            logger.AdminBackfillRequested();
            return (IResult)TypedResults.Accepted((string?)null, new BackfillReply("requested"));
        });

    /// <summary>Null once the broker confirmed (see <see cref="ConfirmedPublish"/>); otherwise the 503 to answer.</summary>
    private async Task<IResult?> PublishAsync<T>(HttpContext http, T message)
        where T : class
    {
        var messageType = typeof(T).Name;
        var publishTimeout = options.Value.PublishTimeout;
        var (result, error) = await publishEndpoint.PublishConfirmedAsync(bus, message, publishTimeout, time, http.RequestAborted);
        switch (result)
        {
            case ConfirmedPublishResult.Confirmed:
                return null;
            case ConfirmedPublishResult.BusUnhealthy:
                var health = bus.CheckHealth();
                logger.AdminBusUnhealthy(messageType, health.Status.ToString(), health.Description);
                return BrokerUnavailable(http);
            case ConfirmedPublishResult.TimedOut:
                logger.AdminPublishTimedOut(messageType, publishTimeout);
                return BrokerUnavailable(http);
            default:
                logger.AdminPublishFailed(error!, messageType);
                return BrokerUnavailable(http);
        }
    }

    /// <summary>
    /// Sends a request and answers with what <paramref name="ask"/> makes of the response, or 503 when the bus is
    /// down, the Orchestrator does not answer within <see cref="IngressOptions.AdminRequestTimeout"/> or it faults.
    /// Bounded twice, like a publish, in case the transport does not observe the token while it reconnects.
    /// </summary>
    private async Task<IResult> AskAsync(HttpContext http, string request, Func<CancellationToken, RequestTimeout, Task<IResult>> ask)
    {
        var health = bus.CheckHealth();
        if (health.Status == BusHealthStatus.Unhealthy)
        {
            logger.AdminBusUnhealthy(request, health.Status.ToString(), health.Description);
            return OrchestratorUnavailable(http);
        }
        var requestTimeout = options.Value.AdminRequestTimeout;
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, http.RequestAborted);
        try
        {
            return await ask(linked.Token, RequestTimeout.After(ms: (int)Math.Ceiling(requestTimeout.TotalMilliseconds)))
                .WaitAsync(requestTimeout, time, linked.Token);
        }
        catch (Exception ex) when (ex is RequestTimeoutException or TimeoutException or OperationCanceledException)
        {
            logger.AdminRequestTimedOut(request, requestTimeout);
            return OrchestratorUnavailable(http);
        }
#pragma warning disable CA1031 // A fault or a transport error: the Orchestrator did not answer, 503 rather than 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.AdminRequestFailed(ex, request);
            return OrchestratorUnavailable(http);
        }
    }

    private static async Task<(int? Seconds, IResult? Problem)> ReadIntervalAsync(HttpContext http)
    {
        const string shape = """The body must be a JSON object such as {"seconds": 3600}, or {"seconds": null} for the default interval.""";
        var (seconds, problem) = await ReadPropertyAsync(http, "seconds", shape);
        if (problem is not null || seconds.ValueKind == JsonValueKind.Null)
        {
            return (null, problem);
        }
        if (seconds.ValueKind != JsonValueKind.Number || !seconds.TryGetInt32(out var value))
        {
            return (null, BadRequest("seconds must be a whole number of seconds, or null for the default interval."));
        }
        return value < MinIntervalSeconds
            ? (null, BadRequest(string.Create(CultureInfo.InvariantCulture,
                $"seconds is too small: the minimum is {MinIntervalSeconds} seconds.")))
            : (value, null);
    }

    private static async Task<(BuildSpecPolicy? Policy, IResult? Problem)> ReadBuildSpecPolicyAsync(HttpContext http)
    {
        const string shape = """The body must be a JSON object such as {"policy": "Allow"}: "Refuse", "Isolated", "Allow", or null for the default.""";
        var (policy, problem) = await ReadPropertyAsync(http, "policy", shape);
        if (problem is not null || policy.ValueKind == JsonValueKind.Null)
        {
            return (null, problem);
        }
        // Names only, exactly as documented: a number or a differently spelt name would be a guess.
        return policy.ValueKind == JsonValueKind.String && policy.GetString() is { } text
               && Enum.GetNames<BuildSpecPolicy>().Contains(text, StringComparer.Ordinal)
            ? (Enum.Parse<BuildSpecPolicy>(text), null)
            : (null, BadRequest("""policy must be "Refuse", "Isolated" or "Allow", or null for the configured default."""));
    }

    /// <summary>
    /// The one property a small JSON object body must have, or the answer to give instead: 413 when the body is too
    /// large, 400 with <paramref name="shape"/> when it is not an object with that property.
    /// </summary>
    private static async Task<(JsonElement Value, IResult? Problem)> ReadPropertyAsync(HttpContext http, string property, string shape)
    {
        var body = await ReadSmallBodyAsync(http);
        if (body is null)
        {
            return (default, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
                detail: string.Create(CultureInfo.InvariantCulture, $"The body must not exceed {MaxBodyBytes} bytes.")));
        }
        try
        {
            using var document = JsonDocument.Parse(body.Value);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(property, out var value)
                ? (value.Clone(), null)
                : (default, BadRequest(shape));
        }
        catch (JsonException)
        {
            return (default, BadRequest(shape));
        }
    }

    /// <summary>The whole body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadSmallBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }
        var buffer = new ArrayBufferWriter<byte>(MaxBodyBytes + 1);
        while (buffer.WrittenCount <= MaxBodyBytes)
        {
            var read = await http.Request.Body.ReadAsync(buffer.GetMemory(MaxBodyBytes + 1 - buffer.WrittenCount), http.RequestAborted);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }
            buffer.Advance(read);
        }
        return null;
    }

    private static bool TryReadInt(IQueryCollection query, string name, int absent, out int value)
    {
        if (!query.TryGetValue(name, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            value = absent;
            return true;
        }
        value = 0;
        return values.Count == 1
            && int.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryParseGitHubId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private static string StatusPath(long id) => string.Create(CultureInfo.InvariantCulture, $"{AdminAuthenticationMiddleware.PathPrefix}/mirrors/{id}");

    private static ProblemHttpResult InvalidGitHubId() =>
        BadRequest("githubId must be the GitHub repository id, a positive 64-bit integer.");

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: detail);

    private static ProblemHttpResult BrokerUnavailable(HttpContext http) =>
        Unavailable(http, "The message broker did not confirm the command, so it was not accepted. Try again later.");

    private static ProblemHttpResult OrchestratorUnavailable(HttpContext http) =>
        Unavailable(http, "The Orchestrator did not answer in time. Try again later.");

    private static ProblemHttpResult Unavailable(HttpContext http, string detail)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, detail: detail);
    }

    internal sealed record SyncReply(Guid MirrorId, string DeliveryId);

    internal sealed record IntervalReply(Guid MirrorId, int? Seconds);

    internal sealed record BuildSpecPolicyReply(Guid MirrorId, string? Policy);

    internal sealed record RetryFailedReply(DateTimeOffset RequestedAt);

    internal sealed record BackfillReply(string Status);
}
