using System.Diagnostics.Metrics;

using Microsoft.AspNetCore.Http.HttpResults;

namespace StarSync.Ingress;

/// <summary>
/// The Ingress's instruments on the <c>StarSync</c> meter: webhook deliveries by event and outcome. Both labels are
/// bounded: an event GitHub names that StarSync does not handle counts as <c>other</c> (the header is the sender's
/// to choose, and a label must not be).
/// </summary>
internal sealed class IngressMetrics
{
    private static readonly HashSet<string> Events = new(StringComparer.Ordinal) { "ping", "watch", "star", "push" };

    private readonly Counter<long> _webhooks;

    public IngressMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("StarSync");
        _webhooks = meter.CreateCounter<long>("starsync.webhooks", "{delivery}",
            "Webhook deliveries received, by event and outcome (accepted, ignored, pong, unauthorized, invalid, too_large, " +
            "unsupported_media_type, unavailable)");
    }

    public void Delivery(string? @event, IResult answer) =>
        _webhooks.Add(1,
            new KeyValuePair<string, object?>("event", @event is not null && Events.Contains(@event) ? @event : "other"),
            new KeyValuePair<string, object?>("outcome", OutcomeOf(answer)));

    internal static string OutcomeOf(IResult answer) => answer switch
    {
        Accepted<GitHubWebhookEndpoint.AcceptedReply> => "accepted",
        Accepted<GitHubWebhookEndpoint.IgnoredReply> => "ignored",
        Ok<GitHubWebhookEndpoint.PingReply> => "pong",
        IStatusCodeHttpResult { StatusCode: StatusCodes.Status401Unauthorized } => "unauthorized",
        IStatusCodeHttpResult { StatusCode: StatusCodes.Status413PayloadTooLarge } => "too_large",
        IStatusCodeHttpResult { StatusCode: StatusCodes.Status415UnsupportedMediaType } => "unsupported_media_type",
        IStatusCodeHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable } => "unavailable",
        _ => "invalid",
    };
}
