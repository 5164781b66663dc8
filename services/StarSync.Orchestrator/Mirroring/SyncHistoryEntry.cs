using System.Security.Cryptography;
using System.Text;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>One line of a mirror's history (table <c>sync_history</c>): an event, what came of it, how long it took.</summary>
public sealed class SyncHistoryEntry
{
    /// <summary>The width of <c>sync_history.delivery_id</c>; longer ids are stored through <see cref="StoredDeliveryId"/>.</summary>
    public const int DeliveryIdMaxLength = 64;

    public long Id { get; set; }
    public Guid MirrorId { get; set; }
    public int Attempt { get; set; }
    /// <summary>What happened: <c>star</c>, <c>unstar</c>, <c>project</c>, <c>mirror</c>, <c>retry</c>, <c>redrive</c>.</summary>
    public string Event { get; set; } = "";
    /// <summary>What came of it: <c>accepted</c>, <c>ignored</c>, <c>created</c>, <c>completed</c>, <c>failed</c>, <c>scheduled</c>, …</summary>
    public string Outcome { get; set; } = "";
    public string? Detail { get; set; }
    public string? DeliveryId { get; set; }
    public long? DurationMs { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    /// <summary>The trace the event belongs to (32 hex digits, W3C), where one was running: the link to Jaeger.</summary>
    public string? TraceId { get; set; }

    /// <summary>
    /// A delivery id as the history column holds it. Ingress accepts <c>X-GitHub-Delivery</c> values up to 128
    /// characters and the star poller makes longer ones (<c>rename:{id}:{full name}</c>), so an id longer than the
    /// column keeps its start and ends in a hash of the whole (still distinct, still readable) instead of failing the
    /// message that carries it.
    /// </summary>
    public static string? StoredDeliveryId(string? deliveryId)
    {
        if (deliveryId is null || deliveryId.Length <= DeliveryIdMaxLength)
        {
            return deliveryId;
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(deliveryId)))[..16];
        return string.Concat(deliveryId.AsSpan(0, DeliveryIdMaxLength - hash.Length - 1), "~", hash);
    }
}
