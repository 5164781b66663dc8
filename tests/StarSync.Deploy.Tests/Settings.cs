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

    /// <summary>Read by every service, outside the options classes.</summary>
    public static readonly string[] Common =
        ["ConnectionStrings__rabbitmq", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "ASPNETCORE_URLS"];

    /// <summary>The options sections (<c>Section = "..."</c> in services/ and shared/) each service binds.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Sections = new Dictionary<string, string[]>
    {
        ["ingress"] = ["Bus", "Ingress"],
        ["orchestrator"] = ["Bus", "OneDev", "Projects", "Mirroring", "Sweeper", "Orchestrator", "Stars", "GitHub", "StarSync"],
        ["gitworker"] = ["Bus", "OneDev", "GitHub", "GitWorker", "StarSync"],
    };

    /// <summary>Connection strings each service reads besides rabbitmq (only the Orchestrator has a database).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ConnectionStrings = new Dictionary<string, string[]>
    {
        ["ingress"] = [],
        ["orchestrator"] = ["ConnectionStrings__postgres"],
        ["gitworker"] = [],
    };

    /// <summary>Settings a service cannot run without (compose must set them).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Required = new Dictionary<string, string[]>
    {
        ["ingress"] = ["ConnectionStrings__rabbitmq", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT", "Ingress__WebhookSecret"],
        ["orchestrator"] = ["ConnectionStrings__rabbitmq", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "ConnectionStrings__postgres", "OneDev__Url", "OneDev__Token"],
        ["gitworker"] = ["ConnectionStrings__rabbitmq", "ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OneDev__Url", "OneDev__Token", "GitWorker__WorkDirectory"],
    };

    /// <summary>BusOptions (shared/StarSync.ServiceDefaults), bound by every service.</summary>
    private static readonly string[] Bus = ["Bus__StalledEndpointTimeout"];

    /// <summary>GitHubClientOptions (shared/StarSync.GitHub), bound by the Orchestrator and the GitWorker.</summary>
    private static readonly string[] GitHub =
        ["GitHub__ApiUrl", "GitHub__WebUrl", "GitHub__Token", "GitHub__AppId", "GitHub__AppPrivateKey", "GitHub__InstallationId",
            "GitHub__UserAccessToken", "GitHub__UserAccessTokenExpiresAt", "GitHub__UserRefreshToken", "GitHub__AppClientId",
            "GitHub__AppClientSecret", "GitHub__UserTokenStorePath", "GitHub__UserTokenFromOwner", "GitHub__RequestTimeout",
            "GitHub__UserAgent", "GitHub__ETagCacheSize"];

    /// <summary>Every setting a service reads; anything else in its environment is a typo (OptionsSourceTests checks this list against the code).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Known = new Dictionary<string, string[]>
    {
        // Stateless: no database, no GitHub credential (the star poller and the user token live in the Orchestrator).
        ["ingress"] = [.. Common, .. Bus, "Ingress__WebhookSecret", "Ingress__MaxPayloadBytes",
            "Ingress__PublishTimeout", "Ingress__AdminToken", "Ingress__AdminRequestTimeout", "Ingress__JaegerUrl"],
        ["orchestrator"] = [.. Common, .. Bus, "ConnectionStrings__postgres", "OneDev__Url", "OneDev__Token", "OneDev__RequestTimeout",
            "Projects__NameTemplate", "Projects__ConflictPolicy", "Mirroring__MaxRetries", "Mirroring__RetryBaseDelay",
            "Mirroring__RetryMaxDelay", "Mirroring__ProjectDeadline", "Mirroring__QueueDeadline", "Mirroring__MirrorDeadline",
            "Mirroring__MaxRedrives", "Mirroring__SyncInterval", "Mirroring__UnstarPolicy", "Mirroring__BuildSpecPolicy", "Sweeper__Interval",
            "Sweeper__BatchSize", "Sweeper__Lease", "Sweeper__HistoryRetention", "Sweeper__HistoryKeepPerMirror",
            "Sweeper__HistoryPruneInterval", "Orchestrator__DatabaseStartupTimeout",
            "Orchestrator__MigrationLockTimeout", "Stars__Enabled", "Stars__PollInterval",
            "Stars__ReconcileInterval", "Stars__PageSize", "Stars__BackfillOnFirstStart", "Stars__PublishTimeout", .. GitHub,
            "StarSync__SecretKey"],
        ["gitworker"] = [.. Common, .. Bus, "OneDev__Url", "OneDev__Token", "OneDev__RequestTimeout", "GitWorker__WorkDirectory",
            "GitWorker__CacheDirectory", "GitWorker__JobTimeout", "GitWorker__LargeRepositoryThresholdKb",
            "GitWorker__LargeRepositoryJobTimeout", "GitWorker__MinimumFreeDiskBytes", "GitWorker__ConcurrentJobs",
            "GitWorker__GitExecutable", "GitWorker__LocalCommandTimeout", "GitWorker__LsRemoteTimeout",
            "GitWorker__TransferInactivityTimeout", "GitWorker__TransferTimeout", .. GitHub, "StarSync__SecretKey"],
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

    /// <summary>(compose service, setting, variable) of secrets that may be left out: exactly <c>${VAR:-}</c>, never a default.</summary>
    public static readonly (string Service, string Setting, string Variable)[] OptionalSecrets =
    [
        ("ingress", "Ingress__AdminToken", "ADMIN_TOKEN"),
        ("orchestrator", "GitHub__Token", "GITHUB_TOKEN"),
        ("orchestrator", "GitHub__AppPrivateKey", "GITHUB_APP_PRIVATE_KEY"),
        ("orchestrator", "GitHub__UserAccessToken", "GITHUB_USER_ACCESS_TOKEN"),
        ("orchestrator", "GitHub__UserRefreshToken", "GITHUB_USER_REFRESH_TOKEN"),
        ("orchestrator", "GitHub__AppClientSecret", "GITHUB_APP_CLIENT_SECRET"),
        ("orchestrator", "StarSync__SecretKey", "STARSYNC_SECRET_KEY"),
        ("gitworker", "GitHub__Token", "GITHUB_TOKEN"),
        ("gitworker", "GitHub__AppPrivateKey", "GITHUB_APP_PRIVATE_KEY"),
        ("gitworker", "StarSync__SecretKey", "STARSYNC_SECRET_KEY"),
    ];

    /// <summary>
    /// (compose service, setting) of secrets a service must never be given: the GitHub user token, its single-use refresh
    /// token and the client secret that spends it belong to the Orchestrator alone (the GitWorker borrows the access token;
    /// the Ingress needs none of them).
    /// </summary>
    public static readonly (string Service, string Setting)[] NeverGiven =
    [
        ("gitworker", "GitHub__UserAccessToken"),
        ("gitworker", "GitHub__UserRefreshToken"),
        ("gitworker", "GitHub__AppClientSecret"),
        ("ingress", "GitHub__UserAccessToken"),
        ("ingress", "GitHub__UserRefreshToken"),
        ("ingress", "GitHub__AppClientSecret"),
    ];

    /// <summary>The variables that carry <see cref="NeverGiven"/> secrets.</summary>
    public static readonly string[] UserTokenVariables = ["GITHUB_USER_ACCESS_TOKEN", "GITHUB_USER_REFRESH_TOKEN", "GITHUB_APP_CLIENT_SECRET"];

    /// <summary>GitWorker__JobTimeout when compose does not set it (GitWorkerOptions).</summary>
    public static readonly TimeSpan DefaultJobTimeout = TimeSpan.FromMinutes(30);

    /// <summary>GitWorker__LargeRepositoryJobTimeout when compose does not set it (GitWorkerOptions).</summary>
    public static readonly TimeSpan DefaultLargeRepositoryJobTimeout = TimeSpan.FromMinutes(90);

    /// <summary>Mirroring__MirrorDeadline when compose does not set it (MirroringOptions).</summary>
    public static readonly TimeSpan DefaultMirrorDeadline = TimeSpan.FromMinutes(100);
}
