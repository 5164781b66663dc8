using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StarSync.Orchestrator.Data.Migrations;

/// <summary>A mirror's own build spec policy (null: the configured default). Written by hand, like the others.</summary>
[DbContext(typeof(OrchestratorDbContext))]
[Migration("20261202000000_BuildSpecPolicy")]
public sealed class BuildSpecPolicy : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "build_spec_policy", table: "mirrors", type: "character varying(16)", maxLength: 16, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "build_spec_policy", table: "mirrors");
    }
}
