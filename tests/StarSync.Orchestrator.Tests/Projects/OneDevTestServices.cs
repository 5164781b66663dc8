using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using StarSync.Emulators;
using StarSync.OneDev;

namespace StarSync.Orchestrator.Tests.Projects;

/// <summary>A <see cref="OneDevClient"/> registered the way the services register it, pointed at an emulator.</summary>
internal static class OneDevTestServices
{
    public static Dictionary<string, string?> Settings(OneDevEmulator emulator, string? token = null, TimeSpan? timeout = null) => new()
    {
        ["OneDev:Url"] = emulator.BaseUrl.ToString(),
        ["OneDev:Token"] = token ?? emulator.Token,
        ["OneDev:RequestTimeout"] = (timeout ?? TimeSpan.FromSeconds(10)).ToString("c"),
    };

    public static ServiceProvider Client(OneDevEmulator emulator, out OneDevClient client, string? token = null, TimeSpan? timeout = null)
    {
        return Client(Settings(emulator, token, timeout), out client);
    }

    public static ServiceProvider Client(Dictionary<string, string?> settings, out OneDevClient client)
    {
        ServiceCollection services = new();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddOneDevClient();
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        client = provider.GetRequiredService<OneDevClient>();
        return provider;
    }
}
