using System.Diagnostics;
using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StarSync.ServiceDefaults;
using Microsoft.Extensions.Logging;

using StarSync.Testing;

namespace StarSync.Ingress.Tests;

/// <summary>The host without the test harness: configuration checks at start, and a broker that is not there.</summary>
public sealed class IngressStartupTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task MissingWebhookSecret_HostFailsToStartNamingTheSetting(string secret)
    {
        await using var app = BuildIngress(("Ingress:WebhookSecret", secret));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        var messages = string.Join(" | ", ExceptionChain.Flatten(ex).Select(e => e.Message));
        Assert.Contains("Ingress:WebhookSecret", messages);
        Assert.Contains("Ingress__WebhookSecret", messages);
    }

    [Fact]
    public async Task PublishTimeoutBeyondGitHubsLimit_HostFailsToStart()
    {
        await using var app = BuildIngress(("Ingress:WebhookSecret", "s3cret"), ("Ingress:PublishTimeout", "00:00:15"));

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Ingress:PublishTimeout", string.Join(" | ", ExceptionChain.Flatten(ex).Select(e => e.Message)));
    }

    /// <summary>
    /// The real host as Program.cs builds it (no WebApplicationFactory): options are validated when it starts,
    /// before any hosted service runs, so the failure is the validation error itself.
    /// </summary>
    private static WebApplication BuildIngress(params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(
            settings.Append(("ConnectionStrings:rabbitmq", "amqp://guest:guest@127.0.0.1:1/"))
                .ToDictionary(s => s.Item1, s => s.Item2));
        builder.AddServiceDefaults();
        builder.AddIngress();
        return builder.Build();
    }

    [Fact]
    public async Task BrokerUnreachable_ValidDelivery_Returns503Quickly()
    {
        var broker = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/";
        await using var factory = IngressFactory.WithoutHarness(
            ("ConnectionStrings:rabbitmq", broker), ("Ingress:PublishTimeout", "00:00:02"));
        using var client = factory.CreateClient();
        var request = WebhookRequest.Json("watch", WebhookPayloads.Watch());
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(request.ToHttpRequest(), TestContext.Current.CancellationToken);

        clock.Stop();
        await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(TimeSpan.FromSeconds(GitHubWebhookEndpoint.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"answered after {clock.Elapsed}");
        var unavailable = Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id is 1020 or 1021 or 1022);
        Assert.Equal(LogLevel.Warning, unavailable.Level);
        Assert.DoesNotContain(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1001);
    }

    [Fact]
    public async Task PublishNeverConfirmed_Returns503WithinPublishTimeout()
    {
        await using var factory = IngressFactory.WithHarness(
            services => services.AddScoped(_ => BrokenPublishEndpoint.Stuck()), ("Ingress:PublishTimeout", "00:00:01"));
        using var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(WebhookRequest.Json("watch", WebhookPayloads.Watch()).ToHttpRequest(),
            TestContext.Current.CancellationToken);

        clock.Stop();
        await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1021);
    }

    [Fact]
    public async Task PublishFails_Returns503()
    {
        await using var factory = IngressFactory.WithHarness(
            services => services.AddScoped(_ => BrokenPublishEndpoint.Failing(new InvalidOperationException("channel closed"))));
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WebhookRequest.Json("star", WebhookPayloads.Star("deleted", null)).ToHttpRequest(),
            TestContext.Current.CancellationToken);

        await HttpAssert.Problem(response, HttpStatusCode.ServiceUnavailable);
        Assert.Single(factory.Logs.From("StarSync.Ingress"), e => e.EventId.Id == 1022);
    }

    [Fact]
    public async Task BrokerUnreachable_PingStillAnswers()
    {
        var broker = $"amqp://guest:guest@127.0.0.1:{FreePort.Next()}/";
        await using var factory = IngressFactory.WithoutHarness(("ConnectionStrings:rabbitmq", broker));
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WebhookRequest.Json("ping", WebhookPayloads.Ping()).ToHttpRequest(),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
