using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chatroom.Accounts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Guardians : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DirectMessages",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "everyone");

            migrationBuilder.AddColumn<DateTime>(
                name: "GuardianDecidedAtUtc",
                table: "AspNetUsers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GuardianState",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "none");

            migrationBuilder.AddColumn<string>(
                name: "GuardianUserId",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "GuardianConsents",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    MinorUserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GuardianEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    GuardianUserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GuardianConsents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GuardianConsents_AspNetUsers_MinorUserId",
                        column: x => x.MinorUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_GuardianUserId",
                table: "AspNetUsers",
                column: "GuardianUserId");

            migrationBuilder.CreateIndex(
                name: "IX_GuardianConsents_MinorUserId_CreatedAtUtc",
                table: "GuardianConsents",
                columns: new[] { "MinorUserId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_GuardianConsents_TokenHash",
                table: "GuardianConsents",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GuardianConsents");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_GuardianUserId",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "DirectMessages",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "GuardianDecidedAtUtc",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "GuardianState",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "GuardianUserId",
                table: "AspNetUsers");
        }
    }
}
