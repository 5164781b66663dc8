using Microsoft.Extensions.Options;

using Npgsql;

namespace StarSync.Orchestrator.Stars;

/// <summary>
/// Runs <see cref="StarPoller"/> in exactly one Orchestrator: the one holding
/// <c>pg_try_advisory_lock(<see cref="StarStore.PollerLockKey"/>)</c> on its own unpooled, long-lived session. The others
/// stay on standby and try again every <see cref="StarPollingOptions.PollInterval"/>. The session is checked before
/// every round; when it drops (the lock goes with it) polling stops until the lock is held again.
/// </summary>
internal sealed class StarPollingService(
    StarPoller poller,
    StarStore store,
    IOptions<StarPollingOptions> options,
    TimeProvider time,
    ILogger<StarPollingService> logger) : BackgroundService
{
    private int _active;
    private int _lockAttempts;

    /// <summary>True while this replica holds the lock and polls.</summary>
    public bool IsActive => Volatile.Read(ref _active) == 1;

    /// <summary>How many times this replica asked for the lock (tests wait for a standby to have tried).</summary>
    public int LockAttempts => Volatile.Read(ref _lockAttempts);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        var standbyAnnounced = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var session = await store.OpenSessionAsync(stoppingToken);
                await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", session))
                {
                    command.Parameters.AddWithValue("key", StarStore.PollerLockKey);
                    var acquired = (bool)(await command.ExecuteScalarAsync(stoppingToken))!;
                    Interlocked.Increment(ref _lockAttempts);
                    if (!acquired)
                    {
                        if (!standbyAnnounced)
                        {
                            logger.Standby(interval);
                            standbyAnnounced = true;
                        }

                        goto Wait;
                    }
                }

                standbyAnnounced = false;
                Volatile.Write(ref _active, 1);
                logger.BecameActive(interval);
                try
                {
                    await RunActiveAsync(session, interval, stoppingToken);
                }
                finally
                {
                    Volatile.Write(ref _active, 0);
                    logger.LockReleased(); // closing the unpooled session ends it, and its lock with it
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A database outage must not end the poller: it waits and tries to take the lock again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.SessionFailed(e, interval);
            }

        Wait:
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunActiveAsync(NpgsqlConnection session, TimeSpan interval, CancellationToken ct)
    {
        while (true)
        {
            // Throws when the session dropped: the lock is gone, so this replica must stop polling.
            await using (var check = new NpgsqlCommand("SELECT 1", session))
            {
                await check.ExecuteScalarAsync(ct);
            }

            try
            {
                await poller.RunRoundAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // GitHub, broker or database errors end the round, not the poller: retried next interval.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.RoundFailed(e, interval);
            }

            await Task.Delay(interval, time, ct);
        }
    }
}
