using Microsoft.EntityFrameworkCore;

namespace Chatroom.Accounts.Data;

/// <summary>The accounts store in SQLite (the embedded default), with its own migrations under Migrations/Sqlite.</summary>
public sealed class SqliteAccountsDb(DbContextOptions<SqliteAccountsDb> options) : AccountsDb(options);
