namespace Chatroom.Api.Auth;

/// <summary><c>Chatroom:Admin</c>.</summary>
public sealed class AdminOptions
{
    public const string Section = "Chatroom:Admin";

    /// <summary>The admin password; admin sign-in is off while it is empty.</summary>
    public string? Password { get; set; }
}
