using Xunit;

namespace StarSync.Testing;

/// <summary>
/// One private PostgreSQL and one private RabbitMQ per test assembly, started in parallel. Register it with
/// <c>[assembly: AssemblyFixture(typeof(TestServers))]</c> and take it as a constructor parameter of test classes;
/// a program outside xunit (the soak) calls <see cref="StartAsync"/>.
/// </summary>
public sealed class TestServers : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private RabbitMqServer? _rabbitMq;

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("TestServers is not initialized.");

    public RabbitMqServer RabbitMq => _rabbitMq ?? throw new InvalidOperationException("TestServers is not initialized.");

    /// <summary>Starts both servers outside a test run; dispose the result to remove them.</summary>
    public static async Task<TestServers> StartAsync(CancellationToken ct)
    {
        var servers = new TestServers();
        await servers.StartServersAsync(ct).ConfigureAwait(false);
        return servers;
    }

    public ValueTask InitializeAsync() => new(StartServersAsync(TestContext.Current.CancellationToken));

    private async Task StartServersAsync(CancellationToken ct)
    {
        var postgres = PostgresServer.StartAsync(ct);
        var rabbitMq = RabbitMqServer.StartAsync(ct);
        try
        {
            await Task.WhenAll(postgres, rabbitMq).ConfigureAwait(false);
        }
        catch
        {
            // Do not leave the one that did start running.
            if (postgres.IsCompletedSuccessfully)
            {
                await postgres.Result.DisposeAsync().ConfigureAwait(false);
            }
            if (rabbitMq.IsCompletedSuccessfully)
            {
                await rabbitMq.Result.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
        _postgres = postgres.Result;
        _rabbitMq = rabbitMq.Result;
    }

    public async ValueTask DisposeAsync()
    {
        var postgres = _postgres;
        var rabbitMq = _rabbitMq;
        _postgres = null;
        _rabbitMq = null;
        await Task.WhenAll(
            postgres is null ? Task.CompletedTask : postgres.DisposeAsync().AsTask(),
            rabbitMq is null ? Task.CompletedTask : rabbitMq.DisposeAsync().AsTask()).ConfigureAwait(false);
    }
}
