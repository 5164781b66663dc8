using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StarSync.Orchestrator.Data.Migrations
{
    /// <inheritdoc />
    public partial class StarPollTables : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "ingress_starred_pkey",
                table: "ingress_starred");

            migrationBuilder.DropPrimaryKey(
                name: "ingress_star_state_pkey",
                table: "ingress_star_state");

            migrationBuilder.DropCheckConstraint(
                name: "ingress_star_state_id_check",
                table: "ingress_star_state");

            migrationBuilder.RenameTable(
                name: "ingress_starred",
                newName: "starred");

            migrationBuilder.RenameTable(
                name: "ingress_star_state",
                newName: "star_poll_state");

            migrationBuilder.AlterColumn<bool>(
                name: "private",
                table: "starred",
                type: "boolean",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "boolean",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<bool>(
                name: "reconcile_requested",
                table: "star_poll_state",
                type: "boolean",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "boolean",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<bool>(
                name: "backfill_requested",
                table: "star_poll_state",
                type: "boolean",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "boolean",
                oldDefaultValue: false);

            migrationBuilder.AlterColumn<bool>(
                name: "backfill_publishes",
                table: "star_poll_state",
                type: "boolean",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "boolean",
                oldDefaultValue: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_starred",
                table: "starred",
                column: "github_id");

            migrationBuilder.AddPrimaryKey(
                name: "PK_star_poll_state",
                table: "star_poll_state",
                column: "id");

            migrationBuilder.AddCheckConstraint(
                name: "CK_star_poll_state_single_row",
                table: "star_poll_state",
                sql: "id = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_starred",
                table: "starred");

            migrationBuilder.DropPrimaryKey(
                name: "PK_star_poll_state",
                table: "star_poll_state");

            migrationBuilder.DropCheckConstraint(
                name: "CK_star_poll_state_single_row",
                table: "star_poll_state");

            migrationBuilder.RenameTable(
                name: "starred",
                newName: "ingress_starred");

            migrationBuilder.RenameTable(
                name: "star_poll_state",
                newName: "ingress_star_state");

            migrationBuilder.AlterColumn<bool>(
                name: "private",
                table: "ingress_starred",
                type: "boolean",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "boolean");

            migrationBuilder.AlterColumn<bool>(
                name: "reconcile_requested",
                table: "ingress_star_state",
                type: "boolean",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "boolean");

            migrationBuilder.AlterColumn<bool>(
                name: "backfill_requested",
                table: "ingress_star_state",
                type: "boolean",
                nullable: false,
                defaultValue: false,
                oldClrType: typeof(bool),
                oldType: "boolean");

            migrationBuilder.AlterColumn<bool>(
                name: "backfill_publishes",
                table: "ingress_star_state",
                type: "boolean",
                nullable: false,
                defaultValue: true,
                oldClrType: typeof(bool),
                oldType: "boolean");

            migrationBuilder.AddPrimaryKey(
                name: "ingress_starred_pkey",
                table: "ingress_starred",
                column: "github_id");

            migrationBuilder.AddPrimaryKey(
                name: "ingress_star_state_pkey",
                table: "ingress_star_state",
                column: "id");

            migrationBuilder.AddCheckConstraint(
                name: "ingress_star_state_id_check",
                table: "ingress_star_state",
                sql: "id = 1");
        }
    }
}
