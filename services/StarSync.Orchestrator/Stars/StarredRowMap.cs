using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace StarSync.Orchestrator.Stars;

/// <summary>Table <c>starred</c>: one row per star the poller knows, keyed by GitHub's repository id.</summary>
internal sealed class StarredRowMap : IEntityTypeConfiguration<StarredRow>
{
    public void Configure(EntityTypeBuilder<StarredRow> builder)
    {
        // Until migration StarPollTables this was the Ingress's ingress_starred (see docs/architecture.md).
        builder.ToTable("starred");
        builder.HasKey(x => x.GitHubId);
        builder.Property(x => x.GitHubId).HasColumnName("github_id").ValueGeneratedNever();
        builder.Property(x => x.FullName).HasColumnName("full_name").IsRequired();
        builder.Property(x => x.StarredAt).HasColumnName("starred_at");
        builder.Property(x => x.LastSeenAt).HasColumnName("last_seen_at");
        builder.Property(x => x.Private).HasColumnName("private");
    }
}
