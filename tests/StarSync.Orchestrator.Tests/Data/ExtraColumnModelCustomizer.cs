using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using StarSync.Orchestrator.Mirroring;

namespace StarSync.Orchestrator.Tests.Data;

/// <summary>The real model plus one shadow column on <c>mirrors</c>: a model change nobody made a migration for.</summary>
internal sealed class ExtraColumnModelCustomizer(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.Entity<MirrorState>().Property<string>("added_without_migration").HasColumnName("added_without_migration");
    }
}
