using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StarSync.Orchestrator.Stars;

/// <summary>Table <c>star_poll_state</c>: one row, which the check constraint keeps at one.</summary>
internal sealed class StarStateMap : IEntityTypeConfiguration<StarState>
{
    public void Configure(EntityTypeBuilder<StarState> builder)
    {
        // Until migration StarPollTables this was the Ingress's ingress_star_state (see docs/architecture.md).
        builder.ToTable("star_poll_state", t => t.HasCheckConstraint("CK_star_poll_state_single_row", "id = 1"));
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(x => x.Page1ETag).HasColumnName("page1_etag");
        builder.Property(x => x.Watermark).HasColumnName("watermark");
        builder.Property(x => x.BackfillRequested).HasColumnName("backfill_requested");
        builder.Property(x => x.BackfillPublishes).HasColumnName("backfill_publishes");
        builder.Property(x => x.BackfillRequestedAt).HasColumnName("backfill_requested_at");
        builder.Property(x => x.BackfillNextPage).HasColumnName("backfill_next_page");
        builder.Property(x => x.BackfillCompletedAt).HasColumnName("backfill_completed_at");
        builder.Property(x => x.LastPolledAt).HasColumnName("last_polled_at");
        builder.Property(x => x.LastReconciledAt).HasColumnName("last_reconciled_at");
        builder.Property(x => x.ReconcileRequested).HasColumnName("reconcile_requested");
    }
}
