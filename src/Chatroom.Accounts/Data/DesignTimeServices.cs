using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.Accounts.Data;

/// <summary>
/// Identity reads its schema version from the application's IdentityOptions; the design-time factories have no
/// application, and without this the migrations would be made for version 1 (no passkeys table).
/// </summary>
internal static class DesignTimeServices
{
    public static readonly IServiceProvider Identity = new ServiceCollection()
        .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
        .BuildServiceProvider();
}
