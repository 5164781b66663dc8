using MassTransit;

using Microsoft.Extensions.DependencyInjection.Extensions;

using StarSync.GitWorker.Cache;
using StarSync.GitHub;
using StarSync.GitWorker.Git;
using StarSync.GitWorker.Mirroring;
using StarSync.OneDev;
using StarSync.ServiceDefaults;

namespace StarSync.GitWorker;

internal static class GitWorkerHosting
{
    public static IHostApplicationBuilder AddGitWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGitWorkerServices();
        builder.Services.AddHealthChecks().AddCheck<GitHealthCheck>("git");
        builder.AddStarSyncBus(x => x.AddConsumer<MirrorRepositoryConsumer, MirrorRepositoryConsumerDefinition>());
        return builder;
    }

    /// <summary>Options, the OneDev client and the mirror itself; no bus (tests bring the MassTransit test harness).</summary>
    internal static IServiceCollection AddGitWorkerServices(this IServiceCollection services)
    {
        services.AddOptions<GitWorkerOptions>()
            .BindConfiguration(GitWorkerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Every fetch is resolved from the repository's id through the API first (UpstreamRepository), with the
        // configured credential or, with none, anonymously; git fetches with the same provider's token (or none).
        // Never the single-use refresh token (the Orchestrator owns it): GitHub:UserTokenFromOwner borrows the user token.
        services.AddGitHubClient(allowAnonymous: true, mayOwnRefreshToken: false);
        services.AddGitHubUserTokenSource<OwnerUserTokenSource>();
        services.AddTransient<UpstreamRepository>();
        services.AddOneDevClient();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GitWorkerMetrics>();
        services.AddHostedService<CacheSizeSampler>();
        services.AddSingleton<GitCli>();
        services.AddSingleton<MirrorCache>();
        services.AddSingleton<CacheCommands>();
        services.AddSingleton<RemoteRefs>();
        services.AddSingleton<CacheSeed>();
        services.AddSingleton<UpstreamFetch>();
        services.AddSingleton<FastForwardCheck>();
        services.AddSingleton<LfsCopy>();
        services.AddSingleton<MirrorPush>();
        services.AddSingleton<MirrorVerification>();
        services.AddTransient<OneDevDefaultBranch>();
        services.AddTransient<BuildSpecGuard>();
        services.AddTransient<RepositoryMirror>();
        return services;
    }
}
