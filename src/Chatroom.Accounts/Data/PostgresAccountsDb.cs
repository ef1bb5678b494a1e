using Microsoft.EntityFrameworkCore;

namespace Chatroom.Accounts.Data;

/// <summary>The accounts store in PostgreSQL (connection string <c>accounts</c>), with its own migrations under Migrations/Postgres.</summary>
public sealed class PostgresAccountsDb(DbContextOptions<PostgresAccountsDb> options) : AccountsDb(options);
