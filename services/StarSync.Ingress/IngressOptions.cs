using System.ComponentModel.DataAnnotations;

namespace StarSync.Ingress;

/// <summary>Settings of the GitHub webhook (section <c>Ingress</c>); validated when the host starts.</summary>
internal sealed class IngressOptions
{
    public const string Section = "Ingress";

    /// <summary>GitHub caps webhook payloads at 25 MB and does not deliver larger ones.</summary>
    public const int DefaultMaxPayloadBytes = 25 * 1024 * 1024;

    /// <summary>
    /// The secret configured on the GitHub webhook. No default and no "accept unsigned" mode: without it the
    /// host refuses to start. Comes from the environment (compose), never from a committed appsettings.json.
    /// </summary>
    [Required(ErrorMessage = "The setting Ingress:WebhookSecret (environment variable Ingress__WebhookSecret) is required: " +
        "it is the secret configured on the GitHub webhook, used to check X-Hub-Signature-256.")]
    public string WebhookSecret { get; set; } = "";

    /// <summary>Largest request body read; larger ones are answered 413 without being buffered.</summary>
    [Range(1, 256 * 1024 * 1024, ErrorMessage = "The setting Ingress:MaxPayloadBytes must be between 1 and 268435456.")]
    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>
    /// How long a delivery may wait for the broker's confirm before it is answered 503. Capped below GitHub's
    /// 10-second delivery timeout so that GitHub always sees our answer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:09",
        ErrorMessage = "The setting Ingress:PublishTimeout must be between 00:00:00.001 and 00:00:09 (GitHub waits 10 s).")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
