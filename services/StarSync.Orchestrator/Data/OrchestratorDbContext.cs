using Microsoft.EntityFrameworkCore;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Data;

public sealed class OrchestratorDbContext(DbContextOptions<OrchestratorDbContext> options) : DbContext(options)
{
    public DbSet<MirrorState> Mirrors => Set<MirrorState>();
    public DbSet<SyncHistoryEntry> SyncHistory => Set<SyncHistoryEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new MirrorStateMap());
        modelBuilder.ApplyConfiguration(new SyncHistoryEntryMap());
    }
}
