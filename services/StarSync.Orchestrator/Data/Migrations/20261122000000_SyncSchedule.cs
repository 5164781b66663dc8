using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StarSync.Orchestrator.Data.Migrations
{
    /// <inheritdoc />
    public partial class SyncSchedule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "next_sync_at",
                table: "mirrors",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "resync_requested",
                table: "mirrors",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "retired_action",
                table: "mirrors",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "sync_interval_seconds",
                table: "mirrors",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "upstream_gone_reason",
                table: "mirrors",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "next_sync_at",
                table: "mirrors");

            migrationBuilder.DropColumn(
                name: "resync_requested",
                table: "mirrors");

            migrationBuilder.DropColumn(
                name: "retired_action",
                table: "mirrors");

            migrationBuilder.DropColumn(
                name: "sync_interval_seconds",
                table: "mirrors");

            migrationBuilder.DropColumn(
                name: "upstream_gone_reason",
                table: "mirrors");
        }
    }
}
