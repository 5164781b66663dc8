using Microsoft.EntityFrameworkCore;
using StarSync.Orchestrator.Mirroring;
using StarSync.Orchestrator.Stars;

namespace StarSync.Orchestrator.Data;

public sealed class OrchestratorDbContext(DbContextOptions<OrchestratorDbContext> options) : DbContext(options)
{
    public DbSet<MirrorState> Mirrors => Set<MirrorState>();
    public DbSet<SyncHistoryEntry> SyncHistory => Set<SyncHistoryEntry>();
    internal DbSet<StarState> StarState => Set<StarState>();
    internal DbSet<StarredRow> Starred => Set<StarredRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new MirrorStateMap());
        modelBuilder.ApplyConfiguration(new SyncHistoryEntryMap());
        modelBuilder.ApplyConfiguration(new StarStateMap());
        modelBuilder.ApplyConfiguration(new StarredRowMap());
    }
}
