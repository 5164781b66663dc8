using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StarSync.Orchestrator.Data.Migrations
{
    /// <inheritdoc />
    public partial class IngressStarTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ingress_star_state",
                columns: table => new
                {
                    id = table.Column<short>(type: "smallint", nullable: false),
                    page1_etag = table.Column<string>(type: "text", nullable: true),
                    watermark = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    backfill_requested = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    backfill_publishes = table.Column<bool>(type: "boolean", nullable: false, defaultValue: true),
                    backfill_requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    backfill_next_page = table.Column<int>(type: "integer", nullable: true),
                    backfill_completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_reconciled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reconcile_requested = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("ingress_star_state_pkey", x => x.id);
                    table.CheckConstraint("ingress_star_state_id_check", "id = 1");
                });

            migrationBuilder.CreateTable(
                name: "ingress_starred",
                columns: table => new
                {
                    github_id = table.Column<long>(type: "bigint", nullable: false),
                    full_name = table.Column<string>(type: "text", nullable: false),
                    starred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    @private = table.Column<bool>(name: "private", type: "boolean", nullable: false, defaultValue: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("ingress_starred_pkey", x => x.github_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ingress_star_state");

            migrationBuilder.DropTable(
                name: "ingress_starred");
        }
    }
}
