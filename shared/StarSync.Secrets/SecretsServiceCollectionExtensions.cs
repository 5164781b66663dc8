using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace StarSync.Secrets;

public static class SecretsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="SecretKeyOptions"/> from section <c>StarSync</c> (a malformed key fails the start) and registers
    /// the singleton <see cref="StarSyncSecrets"/>. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddStarSyncSecrets(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(StarSyncSecrets)))
        {
            return services;
        }

        services.AddOptions<SecretKeyOptions>()
            .BindConfiguration(SecretKeyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<StarSyncSecrets>();
        return services;
    }
}
