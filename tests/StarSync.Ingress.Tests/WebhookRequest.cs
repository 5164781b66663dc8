using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace StarSync.Ingress.Tests;

/// <summary>A delivery as GitHub would send it, signed with <see cref="Secret"/>; every part can be spoilt.</summary>
internal sealed record WebhookRequest(string? Event, byte[] Body, string? ContentType = "application/json")
{
    public const string Secret = "test-webhook-secret";

    public string? Delivery { get; init; } = Guid.NewGuid().ToString();

    /// <summary>Null: sign <see cref="Body"/> with <see cref="Secret"/>. Empty array: send no signature.</summary>
    public string[]? Signatures { get; init; }

    public string[]? EventHeaders { get; init; }

    public string[]? DeliveryHeaders { get; init; }

    /// <summary>Send the body without a Content-Length (as a chunked upload would).</summary>
    public bool UnknownLength { get; init; }

    public static WebhookRequest Json(string @event, JsonNode payload) =>
        new(@event, Encoding.UTF8.GetBytes(payload.ToJsonString()));

    public static WebhookRequest Json(string @event, string body) => new(@event, Encoding.UTF8.GetBytes(body));

    /// <summary>GitHub's form encoding: the JSON is the <c>payload</c> field; the signature covers the whole form.</summary>
    public static WebhookRequest Form(string @event, JsonNode payload) =>
        new(@event, Encoding.ASCII.GetBytes("payload=" + Uri.EscapeDataString(payload.ToJsonString())),
            "application/x-www-form-urlencoded");

    public HttpRequestMessage ToHttpRequest()
    {
        HttpContent content = UnknownLength ? new UnknownLengthContent(Body) : new ByteArrayContent(Body);
        if (ContentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        }
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = content };
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/test");
        foreach (var signature in Signatures ?? [GitHubSignature.Compute(Body, Secret)])
        {
            request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        }
        foreach (var value in EventHeaders ?? (Event is null ? [] : [Event]))
        {
            request.Headers.TryAddWithoutValidation("X-GitHub-Event", value);
        }
        foreach (var value in DeliveryHeaders ?? (Delivery is null ? [] : [Delivery]))
        {
            request.Headers.TryAddWithoutValidation("X-GitHub-Delivery", value);
        }
        return request;
    }

    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
