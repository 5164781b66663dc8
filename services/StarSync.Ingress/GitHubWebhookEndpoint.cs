using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using MassTransit;

using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

using StarSync.Contracts;
using StarSync.ServiceDefaults;

namespace StarSync.Ingress;

/// <summary>
/// <c>POST /webhooks/github</c>. Checks, in this order, each answered as soon as it fails: size (413), signature
/// over the raw body (401), content type (415), delivery headers (400), payload (400). Then <c>ping</c> → 200;
/// <c>watch/started</c>, <c>star/created</c>, <c>star/deleted</c>, <c>push</c> → publish, and 202 only once the broker
/// confirmed (else 503 with Retry-After); anything else → 202 with the reason it was ignored.
/// </summary>
internal sealed class GitHubWebhookEndpoint(
    IPublishEndpoint publishEndpoint,
    IBusControl bus,
    IOptions<IngressOptions> options,
    TimeProvider time,
    IngressMetrics metrics,
    ILogger<GitHubWebhookEndpoint> logger)
{
    public const string Route = "/webhooks/github";
    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";
    public const string Source = "webhook";
    public const string PushSource = "push";
    public const int RetryAfterSeconds = 30;

    private const int MaxHeaderValueLength = 128;
    private const int ReadChunkBytes = 64 * 1024;

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        var answer = await AnswerAsync(http);
        metrics.Delivery(http.Request.Headers[EventHeader].FirstOrDefault(), answer);
        return answer;
    }

    private async Task<IResult> AnswerAsync(HttpContext http)
    {
        var settings = options.Value;
        var request = http.Request;

        if (request.ContentLength > settings.MaxPayloadBytes)
        {
            logger.PayloadTooLarge(settings.MaxPayloadBytes, request.ContentLength);
            return PayloadTooLarge(settings);
        }
        ReadOnlyMemory<byte> body;
        try
        {
            var read = await ReadBodyAsync(http, settings.MaxPayloadBytes);
            if (read is null)
            {
                logger.PayloadTooLarge(settings.MaxPayloadBytes, request.ContentLength);
                return PayloadTooLarge(settings);
            }
            body = read.Value;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            logger.PayloadTooLarge(settings.MaxPayloadBytes, request.ContentLength);
            return PayloadTooLarge(settings);
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or OperationCanceledException)
        {
            logger.BodyUnreadable(ex.GetType().Name);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "The request body could not be read.");
        }

        var signature = GitHubSignature.Verify(request.Headers[GitHubSignature.HeaderName], body.Span, settings.WebhookSecret);
        if (signature != GitHubSignatureResult.Valid)
        {
            // The same answer for missing, malformed and wrong signatures: the caller learns nothing more.
            logger.SignatureRejected(signature);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                detail: $"The request must carry a valid {GitHubSignature.HeaderName} signature.");
        }

        var formEncoded = IsFormEncoded(request.ContentType);
        if (formEncoded is null)
        {
            logger.UnsupportedContentType(request.ContentType);
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Content-Type must be {GitHubWebhookPayload.JsonMediaType} or {GitHubWebhookPayload.FormMediaType}.");
        }

        var headerProblem = HeaderProblem(request.Headers, EventHeader) ?? HeaderProblem(request.Headers, DeliveryHeader);
        if (headerProblem is not null)
        {
            logger.BadDeliveryHeaders(headerProblem);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: headerProblem);
        }
        var delivery = new Delivery(request.Headers[EventHeader][0]!, request.Headers[DeliveryHeader][0]!);
        // The request's span (ASP.NET Core's) says which delivery it was: the root of that sync's trace.
        var span = Activity.Current;
        span?.SetTag("github.event", delivery.Event);
        span?.SetTag("github.delivery", delivery.Id);

        PendingPublish? pending;
        try
        {
            using var document = GitHubWebhookPayload.Parse(body, formEncoded.Value);
            var outcome = Interpret(delivery, document.RootElement);
            if (outcome.Answer is not null)
            {
                return outcome.Answer;
            }
            pending = outcome.Publish!;
            span?.SetTag("github.action", pending.Action);
            span?.SetTag("github.repository.id", pending.Message switch
            {
                RepositoryStarred m => m.Repository.Id,
                RepositoryUnstarred m => m.GitHubId,
                RepositorySyncRequested m => m.GitHubId,
                _ => (object?)null,
            });
            span?.SetTag("starsync.mirror.id", pending.MirrorId);
        }
        catch (InvalidPayloadException ex)
        {
            logger.InvalidPayload(delivery.Id, delivery.Event, ex.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, detail: ex.Message);
        }
        return await PublishAsync(http, delivery, pending, settings.PublishTimeout);
    }

    /// <summary>What a valid delivery means: an immediate answer, or a message to publish first.</summary>
    private (IResult? Answer, PendingPublish? Publish) Interpret(Delivery delivery, JsonElement root)
    {
        switch (delivery.Event)
        {
            case "ping":
                var zen = GitHubWebhookPayload.ReadZen(root);
                logger.PingAnswered(delivery.Id);
                return (TypedResults.Ok(new PingReply("pong", zen)), null);
            case "watch" or "star":
                var action = GitHubWebhookPayload.ReadAction(root);
                switch (delivery.Event, action)
                {
                    case ("watch", "started") or ("star", "created"):
                        var repository = GitHubWebhookPayload.ReadRepository(root);
                        // watch payloads carry no starred_at; star/created does.
                        var starredAt = GitHubWebhookPayload.ReadStarredAt(root) ?? time.GetUtcNow();
                        var starId = MirrorIds.ForGitHubRepository(repository.Id);
                        return (null, new PendingPublish(action, repository.FullName, starId,
                            new RepositoryStarred(starId, repository, starredAt, Source, delivery.Id)));
                    case ("star", "deleted"):
                        var (gitHubId, fullName) = GitHubWebhookPayload.ReadRepositoryIdentity(root);
                        var unstarId = MirrorIds.ForGitHubRepository(gitHubId);
                        return (null, new PendingPublish(action, fullName, unstarId,
                            new RepositoryUnstarred(unstarId, gitHubId, fullName, time.GetUtcNow(), Source, delivery.Id)));
                    default:
                        return (Ignored(delivery, action, $"action '{action}' of event '{delivery.Event}' is not handled"), null);
                }
            case "push":
                // Every push, including one that deletes a branch or tag, changes what the mirror must hold.
                var push = GitHubWebhookPayload.ReadPush(root);
                var pushed = GitHubWebhookPayload.ReadPushRepository(root);
                var pushId = MirrorIds.ForGitHubRepository(push.Id);
                return (null, new PendingPublish(push.Deleted ? "deleted" : "pushed",
                    push.FullName ?? push.Id.ToString(CultureInfo.InvariantCulture), pushId,
                    new RepositorySyncRequested(pushId, push.Id, PushSource, delivery.Id, time.GetUtcNow(), pushed)));
            default:
                return (Ignored(delivery, null, $"event '{delivery.Event}' is not handled"), null);
        }
    }

    private IResult Ignored(Delivery delivery, string? action, string reason)
    {
        logger.DeliveryIgnored(delivery.Id, reason);
        return TypedResults.Accepted((string?)null, new IgnoredReply(delivery.Event, action, reason));
    }

    /// <summary>Publishes (see <see cref="ConfirmedPublish"/>) and answers 202 only after the broker confirmed; else 503.</summary>
    private async Task<IResult> PublishAsync(HttpContext http, Delivery delivery, PendingPublish pending, TimeSpan publishTimeout)
    {
        var (result, error) = await publishEndpoint.PublishConfirmedAsync(bus, pending.Message, publishTimeout, time, http.RequestAborted);
        switch (result)
        {
            case ConfirmedPublishResult.BusUnhealthy:
                var health = bus.CheckHealth();
                logger.BusUnhealthy(delivery.Id, health.Status.ToString(), health.Description);
                return Unavailable(http);
            case ConfirmedPublishResult.TimedOut:
                logger.PublishTimedOut(delivery.Id, publishTimeout);
                return Unavailable(http);
            case ConfirmedPublishResult.Failed:
                logger.PublishFailed(error!, delivery.Id);
                return Unavailable(http);
        }
        logger.DeliveryAccepted(delivery.Id, delivery.Event, pending.Action, pending.Repository, pending.MirrorId);
        return TypedResults.Accepted((string?)null, new AcceptedReply(pending.MirrorId, delivery.Event, pending.Action));
    }

    private static ProblemHttpResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            detail: "The message broker did not confirm the delivery, so it was not accepted. Redeliver it later.");
    }

    private static ProblemHttpResult PayloadTooLarge(IngressOptions settings) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
            detail: string.Create(CultureInfo.InvariantCulture, $"The body must not exceed {settings.MaxPayloadBytes} bytes."));

    /// <summary>
    /// Reads the whole body, never more than <paramref name="maxBytes"/> + 1 bytes into memory whatever the
    /// Content-Length says (or omits). Null when the body is larger than the limit.
    /// </summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http, int maxBytes)
    {
        // Our own cap decides, not Kestrel's default (30,000,000 bytes).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = (long)maxBytes + 1;
        }
        // An honest Content-Length gets one exact allocation (+1 for the read that finds the end).
        var initial = (int)Math.Min(http.Request.ContentLength ?? 16 * 1024, maxBytes) + 1;
        var buffer = new ArrayBufferWriter<byte>(initial);
        while (true)
        {
            var room = Math.Min(maxBytes + 1 - buffer.WrittenCount, ReadChunkBytes);
            var read = await http.Request.Body.ReadAsync(buffer.GetMemory(room)[..room], http.RequestAborted);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                return null;
            }
        }
    }

    /// <summary>True for form encoding, false for JSON, null for anything else (including a charset other than UTF-8).</summary>
    private static bool? IsFormEncoded(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return null;
        }
        var charset = parsed.Charset;
        if (charset.HasValue && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (parsed.MediaType.Equals(GitHubWebhookPayload.JsonMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (parsed.MediaType.Equals(GitHubWebhookPayload.FormMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return null;
    }

    private static string? HeaderProblem(IHeaderDictionary headers, string name)
    {
        var values = headers[name];
        if (values.Count > 1)
        {
            return $"the {name} header must be sent exactly once";
        }
        if (StringValues.IsNullOrEmpty(values) || string.IsNullOrWhiteSpace(values[0]))
        {
            return $"the {name} header is missing or empty";
        }
        return values[0]!.Length > MaxHeaderValueLength
            ? string.Create(CultureInfo.InvariantCulture, $"the {name} header must not exceed {MaxHeaderValueLength} characters")
            : null;
    }

    private sealed record Delivery(string Event, string Id);

    private sealed record PendingPublish(string Action, string Repository, Guid MirrorId, object Message);

    internal sealed record PingReply(string Message, string? Zen);

    internal sealed record AcceptedReply(Guid MirrorId, string Event, string Action);

    internal sealed record IgnoredReply(string Event, string? Action, string Reason);
}
