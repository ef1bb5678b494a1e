namespace Chatroom.Accounts;

/// <summary><c>Chatroom:Admin</c>: the first admin account.</summary>
public sealed class AdminOptions
{
    public const string Section = "Chatroom:Admin";

    /// <summary>The user name of the account <see cref="Password"/> bootstraps.</summary>
    public const string UserName = "admin";

    /// <summary>
    /// The initial password of the <c>admin</c> account, created with it on first start when no such account exists.
    /// It is never written over: once the account exists (or its password was changed) this value is not read again.
    /// </summary>
    public string? Password { get; set; }

    /// <summary>The bootstrapped account's address (it is confirmed as is; nothing is sent to it).</summary>
    public string Email { get; set; } = "admin@chatroom.invalid";
}
