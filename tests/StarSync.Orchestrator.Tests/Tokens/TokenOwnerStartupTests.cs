using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

using StarSync.Orchestrator.Stars;

using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Tokens;

/// <summary>The owner of the GitHub refresh token checks its settings at start, before it could spend the token.</summary>
public sealed class TokenOwnerStartupTests
{
    [Theory]
    [InlineData(false, "GitHub:UserTokenStorePath")]
    [InlineData(true, "StarSync:SecretKey (environment variable StarSync__SecretKey) is required with GitHub:UserRefreshToken")]
    public async Task RefreshTokenWithoutStoreOrKey_HostFailsToStartNamingTheSetting(bool withStore, string named)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stars:Enabled"] = "false",
            ["GitHub:UserAccessToken"] = "ghu_test",
            ["GitHub:UserRefreshToken"] = "ghr_test-refresh-token",
            ["GitHub:AppClientId"] = "Iv1.test",
            ["GitHub:AppClientSecret"] = "test-client-secret",
            ["GitHub:UserTokenStorePath"] = withStore ? Path.Combine(Path.GetTempPath(), "never-written.json") : null,
            ["StarSync:SecretKey"] = withStore ? null : Convert.ToBase64String(new byte[32]),
        });
        builder.Services.AddLogging();
        builder.AddStarPolling();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var messages = string.Join(" | ", ExceptionChain.Flatten(ex).Select(e => e.Message));
        Assert.Contains(named, messages, StringComparison.Ordinal);
        Assert.DoesNotContain("ghr_test-refresh-token", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("test-client-secret", messages, StringComparison.Ordinal);
    }
}
