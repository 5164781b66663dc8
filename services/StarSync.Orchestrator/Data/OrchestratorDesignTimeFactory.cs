using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace StarSync.Orchestrator.Data;

/// <summary>
/// The context as <c>dotnet ef migrations add</c> sees it: the Npgsql provider and the model, without the host (which
/// wants a connection string and a broker) and without a database (generating a migration opens no connection).
/// </summary>
internal sealed class OrchestratorDesignTimeFactory : IDesignTimeDbContextFactory<OrchestratorDbContext>
{
    public OrchestratorDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<OrchestratorDbContext>().UseNpgsql("Host=design-time-only").Options);
}
