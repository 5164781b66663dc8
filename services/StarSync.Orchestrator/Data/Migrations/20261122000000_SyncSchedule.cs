using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StarSync.Orchestrator.Data.Migrations;

/// <summary>Refresh scheduling, unstar policy and upstream state of a mirror. Written by hand, like the first.</summary>
[DbContext(typeof(OrchestratorDbContext))]
[Migration("20261122000000_SyncSchedule")]
public sealed class SyncSchedule : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<int>(name: "sync_interval_seconds", table: "mirrors", type: "integer", nullable: true);
        migrationBuilder.AddColumn<DateTimeOffset>(name: "next_sync_at", table: "mirrors", type: "timestamp with time zone", nullable: true);
        migrationBuilder.AddColumn<bool>(name: "resync_requested", table: "mirrors", type: "boolean", nullable: false, defaultValue: false);
        migrationBuilder.AddColumn<string>(name: "retired_action", table: "mirrors", type: "character varying(32)", maxLength: 32, nullable: true);
        migrationBuilder.AddColumn<string>(name: "upstream_gone_reason", table: "mirrors", type: "character varying(64)", maxLength: 64, nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "sync_interval_seconds", table: "mirrors");
        migrationBuilder.DropColumn(name: "next_sync_at", table: "mirrors");
        migrationBuilder.DropColumn(name: "resync_requested", table: "mirrors");
        migrationBuilder.DropColumn(name: "retired_action", table: "mirrors");
        migrationBuilder.DropColumn(name: "upstream_gone_reason", table: "mirrors");
    }
}
