namespace StarSync.Deploy.Tests;

/// <summary>What each StarSync service reads from its environment (ASP.NET Core configuration, '__' for ':').</summary>
internal static class Settings
{
    /// <summary>compose service name → project under services/.</summary>
    public static readonly IReadOnlyDictionary<string, string> Projects = new Dictionary<string, string>
    {
        ["ingress"] = "StarSync.Ingress",
        ["orchestrator"] = "StarSync.Orchestrator",
        ["gitworker"] = "StarSync.GitWorker",
    };

    private static readonly string[] Common =
        ["ConnectionStrings__rabbitmq", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "ASPNETCORE_URLS"];

    /// <summary>Settings a service cannot run without (compose must set them).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Required = new Dictionary<string, string[]>
    {
        ["ingress"] = ["ConnectionStrings__rabbitmq", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT", "Ingress__WebhookSecret"],
        ["orchestrator"] = ["ConnectionStrings__rabbitmq", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "ConnectionStrings__postgres", "OneDev__Url", "OneDev__Token"],
        ["gitworker"] = ["ConnectionStrings__rabbitmq", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OneDev__Url", "OneDev__Token", "GitWorker__WorkDirectory"],
    };

    /// <summary>Every setting a service reads; anything else in its environment is a typo.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Known = new Dictionary<string, string[]>
    {
        ["ingress"] = [.. Common, "Ingress__WebhookSecret", "Ingress__MaxPayloadBytes", "Ingress__PublishTimeout"],
        ["orchestrator"] = [.. Common, "ConnectionStrings__postgres", "OneDev__Url", "OneDev__Token", "OneDev__RequestTimeout",
            "Projects__NameTemplate", "Projects__ConflictPolicy", "Mirroring__MaxRetries", "Mirroring__RetryBaseDelay",
            "Mirroring__RetryMaxDelay", "Mirroring__ProjectDeadline", "Mirroring__QueueDeadline", "Mirroring__MirrorDeadline",
            "Mirroring__MaxRedrives", "Sweeper__Interval", "Sweeper__BatchSize", "Sweeper__Lease",
            "Orchestrator__DatabaseStartupTimeout"],
        ["gitworker"] = [.. Common, "OneDev__Url", "OneDev__Token", "OneDev__RequestTimeout", "GitHub__Token",
            "GitWorker__WorkDirectory", "GitWorker__JobTimeout", "GitWorker__ConcurrentJobs", "GitWorker__GitExecutable"],
    };

    /// <summary>(compose service, setting, the variable that must supply it with ${VAR:?message}).</summary>
    public static readonly (string Service, string Setting, string Variable)[] RequiredSecrets =
    [
        ("ingress", "Ingress__WebhookSecret", "WEBHOOK_SECRET"),
        ("ingress", "ConnectionStrings__rabbitmq", "RABBITMQ_PASSWORD"),
        ("orchestrator", "OneDev__Token", "ONEDEV_TOKEN"),
        ("orchestrator", "OneDev__Url", "ONEDEV_URL"),
        ("orchestrator", "ConnectionStrings__rabbitmq", "RABBITMQ_PASSWORD"),
        ("orchestrator", "ConnectionStrings__postgres", "POSTGRES_PASSWORD"),
        ("gitworker", "OneDev__Token", "ONEDEV_TOKEN"),
        ("gitworker", "OneDev__Url", "ONEDEV_URL"),
        ("gitworker", "ConnectionStrings__rabbitmq", "RABBITMQ_PASSWORD"),
        ("rabbitmq", "RABBITMQ_DEFAULT_PASS", "RABBITMQ_PASSWORD"),
        ("postgres", "POSTGRES_PASSWORD", "POSTGRES_PASSWORD"),
    ];

    /// <summary>GitWorker__JobTimeout when compose does not set it (GitWorkerOptions).</summary>
    public static readonly TimeSpan DefaultJobTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Mirroring__MirrorDeadline when compose does not set it (MirroringOptions).</summary>
    public static readonly TimeSpan DefaultMirrorDeadline = TimeSpan.FromMinutes(40);
}
