using System.Diagnostics;
using StarSync.Orchestrator.Mirroring;
using StarSync.Orchestrator.Status;

namespace StarSync.Orchestrator.Tests.Mirroring;

public sealed class SyncHistoryEntryTests
{
    [Theory]
    [InlineData("72d3162e-cc78-11e3-81ab-4c9367dc0958")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void StoredDeliveryId_UpToTheColumnWidth_IsKeptAsItIs(string id) =>
        Assert.Equal(id, SyncHistoryEntry.StoredDeliveryId(id));

    [Fact]
    public void StoredDeliveryId_Longer_FitsTheColumnKeepsItsStartAndStaysDistinct()
    {
        var rename = "rename:186853002:" + new string('o', 39) + "/" + new string('r', 100);
        var other = "rename:186853002:" + new string('o', 39) + "/" + new string('r', 99) + "s";

        var stored = SyncHistoryEntry.StoredDeliveryId(rename)!;

        Assert.Equal(SyncHistoryEntry.DeliveryIdMaxLength, stored.Length);
        Assert.StartsWith("rename:186853002:ooo", stored, StringComparison.Ordinal);
        Assert.NotEqual(stored, SyncHistoryEntry.StoredDeliveryId(other));
        Assert.Equal(stored, SyncHistoryEntry.StoredDeliveryId(rename));
        Assert.Null(SyncHistoryEntry.StoredDeliveryId(null));
    }

    [Fact]
    public void Record_InsideASpan_KeepsItsTraceId_OutsideNone()
    {
        var saga = new MirrorState { CorrelationId = Guid.NewGuid() };
        using (var span = new Activity("saga step").SetIdFormat(ActivityIdFormat.W3C).Start())
        {
            saga.Record(DateTimeOffset.UnixEpoch, "star", "accepted");
            Assert.Equal(span.TraceId.ToHexString(), saga.History[^1].TraceId);
        }
        Assert.Null(Activity.Current);

        saga.Record(DateTimeOffset.UnixEpoch, "refresh", "sent");

        Assert.Null(saga.History[^1].TraceId);
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "0af7651916cd43dd8448eb211c80319c")]
    [InlineData(null, null)]
    [InlineData("not a traceparent", null)]
    public void TraceIdOf_TheTraceIdOfAW3CTraceParent(string? traceParent, string? traceId) =>
        Assert.Equal(traceId, MirrorStatusConsumer.TraceIdOf(traceParent));
}
