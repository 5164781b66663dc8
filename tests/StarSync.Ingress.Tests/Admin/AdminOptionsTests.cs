using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

using StarSync.ServiceDefaults;

namespace StarSync.Ingress.Tests.Admin;

/// <summary>The admin settings are checked when the host starts, and their errors never quote the token.</summary>
public sealed class AdminOptionsTests
{
    [Fact]
    public async Task ShortAdminToken_HostFailsToStartNamingTheSettingNotTheValue()
    {
        const string token = "short-tok3n";
        await using var app = BuildIngress(("Ingress:AdminToken", token));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        var messages = string.Join(" | ", ex.Failures);
        Assert.Contains("Ingress:AdminToken", messages);
        Assert.Contains("Ingress__AdminToken", messages);
        Assert.DoesNotContain(token, messages);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:01:00")]
    public async Task AdminRequestTimeoutOutOfRange_HostFailsToStart(string timeout)
    {
        await using var app = BuildIngress(("Ingress:AdminRequestTimeout", timeout));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Ingress:AdminRequestTimeout", string.Join(" | ", ex.Failures));
    }

    [Theory]
    [InlineData("jaeger:16686")]
    [InlineData("/trace")]
    [InlineData("ftp://jaeger.example.com/")]
    [InlineData("https://user:secret@jaeger.example.com/")]
    [InlineData("https://jaeger.example.com/?token=x")]
    public async Task JaegerUrlNotAPlainHttpUrl_HostFailsToStartNamingTheSetting(string url)
    {
        await using var app = BuildIngress(("Ingress:JaegerUrl", url));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        var messages = string.Join(" | ", ex.Failures);
        Assert.Contains("Ingress:JaegerUrl must be an absolute http or https URL", messages);
        Assert.DoesNotContain("secret", messages);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void NoAdminToken_DisablesTheAdminApi(string? token) =>
        Assert.Null(new IngressOptions { WebhookSecret = "s", AdminToken = token }.EffectiveAdminToken);

    /// <summary>The real host as Program.cs builds it; options are validated when it starts.</summary>
    private static WebApplication BuildIngress(params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(
            settings.Append(("Ingress:WebhookSecret", "s3cret"))
                .Append(("ConnectionStrings:rabbitmq", IngressFactory.UnusedBroker))
                .ToDictionary(s => s.Item1, s => s.Item2));
        builder.AddServiceDefaults();
        builder.AddIngress();
        return builder.Build();
    }
}
