using StarSync.Orchestrator.Mirroring;

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
}
