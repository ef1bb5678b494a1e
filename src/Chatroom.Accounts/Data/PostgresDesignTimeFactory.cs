using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Chatroom.Accounts.Data;

/// <summary>For <c>dotnet ef migrations add … --context PostgresAccountsDb</c>; no server is contacted.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAccountsDb>
{
    public PostgresAccountsDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAccountsDb>().UseNpgsql("Host=localhost;Database=accounts").UseApplicationServiceProvider(DesignTimeServices.Identity).Options);
}
