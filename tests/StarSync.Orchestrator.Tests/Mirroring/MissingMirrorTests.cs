using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StarSync.Contracts;
using StarSync.Testing;

namespace StarSync.Orchestrator.Tests.Mirroring;

public sealed class MissingMirrorTests
{
    [Fact]
    public async Task EventsForAMirrorThatDoesNotExist_AreDroppedLoggedAndCounted()
    {
        var logs = new CapturedLogs();
        await using var h = await MirrorSagaHarness.StartAsync(logs: logs);
        var meters = h.Services.GetRequiredService<IMeterFactory>();
        var counted = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this harness's meter: other tests in the process have their own.
            if (instrument.Meter.Scope == meters && instrument.Name == "starsync.saga.events_without_mirror")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "event")
                {
                    counted.Enqueue($"{tag.Value}x{value}");
                }
            }
        });
        listener.Start();
        var missing = NewId.NextGuid();

        // A push for a repository that was never mirrored, and a worker's answer for a saga that is gone.
        await h.PublishAndConsumeAsync(new RepositorySyncRequested(missing, 42, "webhook", "delivery-1", h.Clock.GetUtcNow()));
        await h.PublishAndConsumeAsync(new RepositoryMirrored(missing, 3, h.Clock.GetUtcNow(), 1, 0, true, 10));

        Assert.Null(h.Saga.Sagas.Contains(missing));
        Assert.Equal(["RepositorySyncRequestedx1", "RepositoryMirroredx1"], counted);
        var lines = logs.From("StarSync.Orchestrator").Where(e => e.EventId.Id == 2020).ToList();
        Assert.Collection(lines,
            e => Assert.True(e.Level == LogLevel.Information && e.Message.Contains($"RepositorySyncRequested for mirror {missing}", StringComparison.Ordinal), e.ToString()),
            e => Assert.True(e.Level == LogLevel.Warning && e.Message.Contains($"RepositoryMirrored for mirror {missing}", StringComparison.Ordinal), e.ToString()));
        Assert.False(await h.WasPublishedAsync<Fault<RepositoryMirrored>>(_ => true));
    }
}
