using System.Text;

using RabbitMQ.Client;

using StarSync.Testing;

namespace StarSync.Testing.Tests;

[Trait("Category", "Integration")]
public sealed class RabbitMqServerTests(TestServers servers)
{
    private static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CreateVirtualHost_PublishThenGet_RoundTripsMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Fixture starts: RabbitMQ {servers.RabbitMq.LastStartDuration.TotalSeconds:0.0} s, PostgreSQL {servers.Postgres.LastStartDuration.TotalSeconds:0.0} s");
        var connectionString = await servers.RabbitMq.CreateVirtualHostAsync("roundtrip", ct);
        var vhost = Uri.UnescapeDataString(new Uri(connectionString).AbsolutePath.TrimStart('/'));

        await using var connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeclareAsync("work", durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
        await channel.BasicPublishAsync("", "work", Encoding.UTF8.GetBytes("hello"), ct);

        await Eventually.UntilAsync(
            async () => await servers.RabbitMq.GetMessageCountAsync(vhost, "work", ct) == 1,
            StatisticsTimeout, "the management API counts one message in 'work'", ct);
        var queue = Assert.Single(await servers.RabbitMq.ListQueuesAsync(vhost, ct));
        Assert.Equal(new QueueInfo("work", 1, 0, "classic"), queue);

        var message = await channel.BasicGetAsync("work", autoAck: true, ct);
        Assert.NotNull(message);
        Assert.Equal("hello", Encoding.UTF8.GetString(message.Body.Span));
        Assert.StartsWith("roundtrip-", vhost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateVirtualHost_Twice_IsolatesQueues()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await servers.RabbitMq.CreateVirtualHostAsync("isolated", ct);
        var second = await servers.RabbitMq.CreateVirtualHostAsync("isolated", ct);
        Assert.NotEqual(first, second);

        await using var connection = await new ConnectionFactory { Uri = new Uri(first) }.CreateConnectionAsync(ct);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        await channel.QueueDeclareAsync("only-in-first", durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);

        var secondVhost = Uri.UnescapeDataString(new Uri(second).AbsolutePath.TrimStart('/'));
        Assert.Empty(await servers.RabbitMq.ListQueuesAsync(secondVhost, ct));
    }

    [Fact]
    public async Task StopThenStartAgain_KeepsDurableQuorumQueueMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        // A private node: stopping the assembly's shared one would break tests running in parallel.
        await using var server = await RabbitMqServer.StartAsync(ct);
        output?.WriteLine($"RabbitMQ start took {server.LastStartDuration.TotalSeconds:0.0} s");
        var connectionString = await server.CreateVirtualHostAsync("restart", ct);
        var vhost = Uri.UnescapeDataString(new Uri(connectionString).AbsolutePath.TrimStart('/'));
        var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
        await using (var connection = await factory.CreateConnectionAsync(ct))
        {
            var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
            await using var channel = await connection.CreateChannelAsync(options, ct);
            await channel.QueueDeclareAsync("durable", durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: ct);
            // Returns once the broker confirmed the message.
            await channel.BasicPublishAsync("", "durable", mandatory: true, new BasicProperties { Persistent = true },
                Encoding.UTF8.GetBytes("survives"), ct);
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await server.StopAsync();
        output?.WriteLine($"RabbitMQ stop took {stopwatch.Elapsed.TotalSeconds:0.0} s");
        stopwatch.Restart();
        await Assert.ThrowsAnyAsync<Exception>(async () => await factory.CreateConnectionAsync(ct));
        output?.WriteLine($"Refused connection took {stopwatch.Elapsed.TotalSeconds:0.0} s");
        await server.StartAgainAsync();
        output?.WriteLine($"RabbitMQ restart took {server.LastStartDuration.TotalSeconds:0.0} s");

        stopwatch.Restart();
        await Eventually.UntilAsync(
            async () => await server.GetMessageCountAsync(vhost, "durable", ct) == 1,
            StatisticsTimeout, "the restarted node counts the message in 'durable'", ct);
        output?.WriteLine($"Statistics showed the message after {stopwatch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal("quorum", Assert.Single(await server.ListQueuesAsync(vhost, ct)).Type);
        await using var reconnected = await factory.CreateConnectionAsync(ct);
        await using var reader = await reconnected.CreateChannelAsync(cancellationToken: ct);
        var message = await reader.BasicGetAsync("durable", autoAck: true, ct);
        Assert.NotNull(message);
        Assert.Equal("survives", Encoding.UTF8.GetString(message.Body.Span));
        stopwatch.Restart();
        await server.DisposeAsync();
        output?.WriteLine($"RabbitMQ dispose took {stopwatch.Elapsed.TotalSeconds:0.0} s");
    }
}
