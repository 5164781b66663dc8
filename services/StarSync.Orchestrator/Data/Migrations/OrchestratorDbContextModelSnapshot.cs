using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace StarSync.Orchestrator.Data.Migrations;

/// <summary>
/// The model as of the latest migration, frozen (it must not follow later edits of the maps: the difference
/// between it and the live model is what the next migration has to contain). Written by hand;
/// <c>OrchestratorSchemaTests</c> fails when it and the model disagree.
/// </summary>
[DbContext(typeof(OrchestratorDbContext))]
public sealed class OrchestratorDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        modelBuilder
            .HasAnnotation("ProductVersion", "10.0.0")
            .HasAnnotation("Relational:MaxIdentifierLength", 63);
        modelBuilder.UseIdentityByDefaultColumns();

        modelBuilder.Entity("StarSync.Orchestrator.Mirroring.MirrorState", b =>
        {
            b.Property<Guid>("CorrelationId").HasColumnType("uuid").HasColumnName("correlation_id");
            b.Property<int>("Attempt").HasColumnType("integer").HasColumnName("attempt");
            b.Property<string>("CloneUrl").IsRequired().HasMaxLength(2048).HasColumnType("character varying(2048)").HasColumnName("clone_url");
            b.Property<DateTimeOffset>("CreatedAt").HasColumnType("timestamp with time zone").HasColumnName("created_at");
            b.Property<string>("CurrentState").IsRequired().HasMaxLength(64).HasColumnType("character varying(64)").HasColumnName("current_state");
            b.Property<DateTimeOffset?>("DeadlineAt").HasColumnType("timestamp with time zone").HasColumnName("deadline_at");
            b.Property<string>("DefaultBranch").IsRequired().HasMaxLength(255).HasColumnType("character varying(255)").HasColumnName("default_branch");
            b.Property<string>("Description").HasColumnType("text").HasColumnName("description");
            b.Property<DateTimeOffset?>("DueAt").HasColumnType("timestamp with time zone").HasColumnName("due_at");
            b.Property<string>("FullName").IsRequired().HasMaxLength(201).HasColumnType("character varying(201)").HasColumnName("full_name");
            b.Property<long>("GitHubId").HasColumnType("bigint").HasColumnName("github_id");
            b.Property<string>("HtmlUrl").IsRequired().HasMaxLength(2048).HasColumnType("character varying(2048)").HasColumnName("html_url");
            b.Property<string>("LastError").HasColumnType("text").HasColumnName("last_error");
            b.Property<DateTimeOffset?>("LastSyncedAt").HasColumnType("timestamp with time zone").HasColumnName("last_synced_at");
            b.Property<string>("LastWorker").HasMaxLength(255).HasColumnType("character varying(255)").HasColumnName("last_worker");
            b.Property<string>("Name").IsRequired().HasMaxLength(100).HasColumnType("character varying(100)").HasColumnName("name");
            b.Property<DateTimeOffset?>("NextRetryAt").HasColumnType("timestamp with time zone").HasColumnName("next_retry_at");
            b.Property<DateTimeOffset?>("NextSyncAt").HasColumnType("timestamp with time zone").HasColumnName("next_sync_at");
            b.Property<long?>("OneDevProjectId").HasColumnType("bigint").HasColumnName("onedev_project_id");
            b.Property<string>("OneDevGitUrl").HasMaxLength(2048).HasColumnType("character varying(2048)").HasColumnName("onedev_git_url");
            b.Property<string>("OneDevProjectPath").HasMaxLength(1024).HasColumnType("character varying(1024)").HasColumnName("onedev_project_path");
            b.Property<string>("Owner").IsRequired().HasMaxLength(100).HasColumnType("character varying(100)").HasColumnName("owner");
            b.Property<bool>("Private").HasColumnType("boolean").HasColumnName("private");
            b.PrimitiveCollection<List<string>>("RecentDeliveries").IsRequired().HasColumnType("text[]").HasColumnName("recent_deliveries");
            b.Property<int>("RedriveCount").HasColumnType("integer").HasColumnName("redrive_count");
            b.Property<bool>("ResyncRequested").HasColumnType("boolean").HasColumnName("resync_requested");
            b.Property<string>("RetiredAction").HasMaxLength(32).HasColumnType("character varying(32)").HasColumnName("retired_action");
            b.Property<int>("RetryCount").HasColumnType("integer").HasColumnName("retry_count");
            b.Property<long>("SizeKb").HasColumnType("bigint").HasColumnName("size_kb");
            b.Property<bool>("Starred").HasColumnType("boolean").HasColumnName("starred");
            b.Property<DateTimeOffset?>("StarredAt").HasColumnType("timestamp with time zone").HasColumnName("starred_at");
            b.Property<string>("Status").IsRequired().HasColumnType("text").HasColumnName("status");
            b.Property<int?>("SyncIntervalSeconds").HasColumnType("integer").HasColumnName("sync_interval_seconds");
            b.Property<DateTimeOffset?>("StepStartedAt").HasColumnType("timestamp with time zone").HasColumnName("step_started_at");
            b.Property<string>("TraceParent").HasMaxLength(128).HasColumnType("character varying(128)").HasColumnName("trace_parent");
            b.Property<string>("UpstreamGoneReason").HasMaxLength(64).HasColumnType("character varying(64)").HasColumnName("upstream_gone_reason");
            b.Property<string>("BuildSpecPolicy").HasMaxLength(16).HasColumnType("character varying(16)").HasColumnName("build_spec_policy");
            b.Property<DateTimeOffset>("UpdatedAt").HasColumnType("timestamp with time zone").HasColumnName("updated_at");
            b.Property<int>("Version").IsConcurrencyToken().HasColumnType("integer").HasColumnName("version");
            b.HasKey("CorrelationId");
            b.HasIndex("CurrentState").HasDatabaseName("ix_mirrors_current_state");
            b.HasIndex("DueAt").HasDatabaseName("ix_mirrors_due_at").HasFilter("due_at IS NOT NULL");
            b.HasIndex("GitHubId").IsUnique().HasDatabaseName("ix_mirrors_github_id");
            b.ToTable("mirrors");
        });

        modelBuilder.Entity("StarSync.Orchestrator.Mirroring.SyncHistoryEntry", b =>
        {
            b.Property<long>("Id").ValueGeneratedOnAdd().HasColumnType("bigint").HasColumnName("id");
            NpgsqlPropertyBuilderExtensions.UseIdentityAlwaysColumn(b.Property<long>("Id"));
            b.Property<int>("Attempt").HasColumnType("integer").HasColumnName("attempt");
            b.Property<string>("DeliveryId").HasMaxLength(64).HasColumnType("character varying(64)").HasColumnName("delivery_id");
            b.Property<string>("Detail").HasColumnType("text").HasColumnName("detail");
            b.Property<long?>("DurationMs").HasColumnType("bigint").HasColumnName("duration_ms");
            b.Property<string>("Event").IsRequired().HasMaxLength(32).HasColumnType("character varying(32)").HasColumnName("event");
            b.Property<Guid>("MirrorId").HasColumnType("uuid").HasColumnName("mirror_id");
            b.Property<string>("Outcome").IsRequired().HasMaxLength(32).HasColumnType("character varying(32)").HasColumnName("outcome");
            b.Property<DateTimeOffset>("RecordedAt").HasColumnType("timestamp with time zone").HasColumnName("recorded_at");
            b.HasKey("Id");
            b.HasIndex("MirrorId", "Id").HasDatabaseName("ix_sync_history_mirror_id");
            b.ToTable("sync_history");
        });

        modelBuilder.Entity("StarSync.Orchestrator.Mirroring.SyncHistoryEntry", b =>
        {
            b.HasOne("StarSync.Orchestrator.Mirroring.MirrorState", null)
                .WithMany("History")
                .HasForeignKey("MirrorId")
                .OnDelete(DeleteBehavior.Cascade)
                .IsRequired();
        });

        modelBuilder.Entity("StarSync.Orchestrator.Mirroring.MirrorState", b => b.Navigation("History"));
    }
}
