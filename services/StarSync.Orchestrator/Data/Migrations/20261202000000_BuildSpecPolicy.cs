using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace StarSync.Orchestrator.Data.Migrations
{
    /// <inheritdoc />
    public partial class BuildSpecPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "build_spec_policy",
                table: "mirrors",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "build_spec_policy",
                table: "mirrors");
        }
    }
}
