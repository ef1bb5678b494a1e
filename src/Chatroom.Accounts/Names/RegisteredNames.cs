using Chatroom.Accounts.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chatroom.Accounts.Names;

/// <summary>Whether a name someone wants to use (a guest's) is an account's user name, compared as user names are.</summary>
public sealed class RegisteredNames(AccountsDb db, ILookupNormalizer normalizer)
{
    /// <summary>True when <paramref name="name"/>, after NFKC, case folding and the look-alike skeleton, is an account's user name.</summary>
    public Task<bool> IsTakenAsync(string name, CancellationToken cancellationToken)
    {
        var normalized = normalizer.NormalizeName(name);
        return db.Users.AsNoTracking().AnyAsync(u => u.NormalizedUserName == normalized, cancellationToken);
    }
}
