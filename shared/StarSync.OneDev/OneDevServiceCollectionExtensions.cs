using System.Net.Http.Headers;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace StarSync.OneDev;

public static class OneDevServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="OneDevOptions"/> from section <c>OneDev</c> (validated at start) and registers the typed
    /// <see cref="OneDevClient"/> with base address, bearer token and request timeout from those options.
    /// </summary>
    public static IServiceCollection AddOneDevClient(this IServiceCollection services)
    {
        services.AddOptions<OneDevOptions>()
            .BindConfiguration(OneDevOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddHttpClient<OneDevClient>((sp, http) =>
        {
            OneDevOptions options = sp.GetRequiredService<IOptions<OneDevOptions>>().Value;
            http.BaseAddress = BaseAddress.Of(options.Url);
            http.Timeout = options.RequestTimeout;
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        });
        return services;
    }
}
