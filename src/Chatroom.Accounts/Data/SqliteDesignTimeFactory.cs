using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Chatroom.Accounts.Data;

/// <summary>For <c>dotnet ef migrations add … --context SqliteAccountsDb</c>; no database is opened.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAccountsDb>
{
    public SqliteAccountsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAccountsDb>().UseSqlite("Data Source=accounts.db").UseApplicationServiceProvider(DesignTimeServices.Identity).Options);
}
