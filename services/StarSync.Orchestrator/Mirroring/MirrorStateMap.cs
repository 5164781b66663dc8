using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StarSync.Orchestrator.Mirroring;

/// <summary>The saga's table, <c>mirrors</c>: real columns, so the sweeper and the status API can query them.</summary>
public sealed class MirrorStateMap : IEntityTypeConfiguration<MirrorState>
{
    public void Configure(EntityTypeBuilder<MirrorState> builder)
    {
        builder.ToTable("mirrors");
        builder.HasKey(x => x.CorrelationId);
        builder.Property(x => x.CorrelationId).HasColumnName("correlation_id").ValueGeneratedNever();
        builder.Property(x => x.CurrentState).HasColumnName("current_state").HasMaxLength(64).IsRequired();
        builder.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();

        builder.Property(x => x.GitHubId).HasColumnName("github_id");
        builder.Property(x => x.Owner).HasColumnName("owner").HasMaxLength(100).IsRequired();
        builder.Property(x => x.Name).HasColumnName("name").HasMaxLength(100).IsRequired();
        builder.Property(x => x.FullName).HasColumnName("full_name").HasMaxLength(201).IsRequired();
        builder.Property(x => x.CloneUrl).HasColumnName("clone_url").HasMaxLength(2048).IsRequired();
        builder.Property(x => x.HtmlUrl).HasColumnName("html_url").HasMaxLength(2048).IsRequired();
        builder.Property(x => x.DefaultBranch).HasColumnName("default_branch").HasMaxLength(255).IsRequired();
        builder.Property(x => x.Private).HasColumnName("private");
        builder.Property(x => x.SizeKb).HasColumnName("size_kb");
        builder.Property(x => x.Description).HasColumnName("description");
        builder.Property(x => x.Starred).HasColumnName("starred");
        builder.Property(x => x.StarredAt).HasColumnName("starred_at");

        builder.Property(x => x.OneDevProjectId).HasColumnName("onedev_project_id");
        builder.Property(x => x.OneDevProjectPath).HasColumnName("onedev_project_path").HasMaxLength(1024);
        builder.Property(x => x.OneDevGitUrl).HasColumnName("onedev_git_url").HasMaxLength(2048);

        builder.Property(x => x.Status).HasColumnName("status").IsRequired();
        builder.Property(x => x.Attempt).HasColumnName("attempt");
        builder.Property(x => x.RetryCount).HasColumnName("retry_count");
        builder.Property(x => x.RedriveCount).HasColumnName("redrive_count");
        builder.Property(x => x.LastError).HasColumnName("last_error");
        builder.Property(x => x.LastSyncedAt).HasColumnName("last_synced_at");
        builder.Property(x => x.LastWorker).HasColumnName("last_worker").HasMaxLength(255);
        builder.Property(x => x.StepStartedAt).HasColumnName("step_started_at");
        builder.Property(x => x.NextRetryAt).HasColumnName("next_retry_at");
        builder.Property(x => x.DeadlineAt).HasColumnName("deadline_at");
        builder.Property(x => x.DueAt).HasColumnName("due_at");
        builder.Property(x => x.SyncIntervalSeconds).HasColumnName("sync_interval_seconds");
        builder.Property(x => x.NextSyncAt).HasColumnName("next_sync_at");
        builder.Property(x => x.ResyncRequested).HasColumnName("resync_requested");
        builder.Property(x => x.SyncTrigger).HasColumnName("sync_trigger").HasMaxLength(16);
        builder.Property(x => x.SyncStartedAt).HasColumnName("sync_started_at");
        builder.Property(x => x.ResyncTrigger).HasColumnName("resync_trigger").HasMaxLength(16);
        builder.Property(x => x.RetiredAction).HasColumnName("retired_action").HasMaxLength(32);
        builder.Property(x => x.UpstreamGoneReason).HasColumnName("upstream_gone_reason").HasMaxLength(64);
        builder.Property(x => x.BuildSpecPolicy).HasColumnName("build_spec_policy").HasMaxLength(16).HasConversion<string>();
        builder.Property(x => x.RecentDeliveries).HasColumnName("recent_deliveries").IsRequired();
        builder.Property(x => x.TraceParent).HasColumnName("trace_parent").HasMaxLength(128);
        builder.Property(x => x.CreatedAt).HasColumnName("created_at");
        builder.Property(x => x.UpdatedAt).HasColumnName("updated_at");

        builder.HasIndex(x => x.GitHubId).IsUnique().HasDatabaseName("ix_mirrors_github_id");
        // The sweeper's scan: only rows with something due are indexed.
        builder.HasIndex(x => x.DueAt).HasDatabaseName("ix_mirrors_due_at").HasFilter("due_at IS NOT NULL");
        builder.HasIndex(x => x.CurrentState).HasDatabaseName("ix_mirrors_current_state");

        builder.HasMany(x => x.History).WithOne().HasForeignKey(h => h.MirrorId).OnDelete(DeleteBehavior.Cascade);
    }
}
