using System.ComponentModel.DataAnnotations;

namespace StarSync.Ingress;

/// <summary>Settings of the GitHub webhook and the admin API (section <c>Ingress</c>); validated when the host starts.</summary>
internal sealed class IngressOptions : IValidatableObject
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

    /// <summary>
    /// The bearer token of the admin API (<c>/admin</c>). Optional: without it the admin API is disabled and answers
    /// every request 401, exactly like a wrong token. A secret: comes from the environment
    /// (<c>Ingress__AdminToken</c>), never from a committed appsettings.json, and is never logged.
    /// </summary>
    public string? AdminToken { get; set; }

    /// <summary>Shortest admin token accepted at startup: a guessable token would guard nothing.</summary>
    public const int MinAdminTokenLength = 16;

    /// <summary>The admin token, or null when the admin API is disabled (unset, empty or blank).</summary>
    public string? EffectiveAdminToken => string.IsNullOrWhiteSpace(AdminToken) ? null : AdminToken;

    /// <summary>How long the admin API waits for the Orchestrator's answer to a status request before it answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:30",
        ErrorMessage = "The setting Ingress:AdminRequestTimeout must be between 00:00:00.001 and 00:00:30.")]
    public TimeSpan AdminRequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Jaeger's UI (e.g. <c>http://localhost:16686</c>): the admin API then links each sync to its trace
    /// (<c>{JaegerUrl}/trace/{trace id}</c>). Unset: trace ids only.
    /// </summary>
    public Uri? JaegerUrl { get; set; }

    /// <summary>The Jaeger page of a trace, or null without <see cref="JaegerUrl"/> or trace id.</summary>
    public string? TraceUrl(string? traceId) =>
        JaegerUrl is null || string.IsNullOrEmpty(traceId) ? null : $"{JaegerUrl.AbsoluteUri.TrimEnd('/')}/trace/{traceId}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (JaegerUrl is not null && (!JaegerUrl.IsAbsoluteUri || JaegerUrl.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(JaegerUrl.UserInfo) || !string.IsNullOrEmpty(JaegerUrl.Query)))
        {
            yield return new ValidationResult(
                "The setting Ingress:JaegerUrl must be an absolute http or https URL without credentials or query, " +
                "such as http://localhost:16686.", [nameof(JaegerUrl)]);
        }
        // An empty value (compose's "${ADMIN_TOKEN:-}") disables the admin API like an absent one; a short one fails the boot.
        if (EffectiveAdminToken is { Length: < MinAdminTokenLength })
        {
            yield return new ValidationResult(
                $"The setting Ingress:AdminToken (environment variable Ingress__AdminToken) must be at least {MinAdminTokenLength} " +
                "characters long when it is set; leave it unset to disable the admin API.", [nameof(AdminToken)]);
        }
    }
}
