using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>Table <c>sync_history</c>: one row per event in a mirror's life, newest last.</summary>
public sealed class SyncHistoryEntryMap : IEntityTypeConfiguration<SyncHistoryEntry>
{
    public void Configure(EntityTypeBuilder<SyncHistoryEntry> builder)
    {
        builder.ToTable("sync_history");
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        builder.Property(x => x.MirrorId).HasColumnName("mirror_id");
        builder.Property(x => x.Attempt).HasColumnName("attempt");
        builder.Property(x => x.Event).HasColumnName("event").HasMaxLength(32).IsRequired();
        builder.Property(x => x.Outcome).HasColumnName("outcome").HasMaxLength(32).IsRequired();
        builder.Property(x => x.Detail).HasColumnName("detail");
        builder.Property(x => x.DeliveryId).HasColumnName("delivery_id").HasMaxLength(SyncHistoryEntry.DeliveryIdMaxLength);
        builder.Property(x => x.DurationMs).HasColumnName("duration_ms");
        builder.Property(x => x.RecordedAt).HasColumnName("recorded_at");
        builder.Property(x => x.TraceId).HasColumnName("trace_id").HasMaxLength(32);
        builder.HasIndex(x => new { x.MirrorId, x.Id }).HasDatabaseName("ix_sync_history_mirror_id");
    }
}
