using System.Text.Json.Nodes;
using Chatroom.Testing.Passkeys;

namespace Chatroom.Accounts.Tests;

/// <summary>The browser's side of the passkey routes, with a <see cref="SoftwareAuthenticator"/> in place of the device.</summary>
public static class PasskeySteps
{
    /// <summary>Asks for creation options, lets the authenticator answer and enrols the passkey: the new passkey's JSON.</summary>
    public static async Task<JsonObject> EnrollAsync(AccountsHost host, SoftwareAuthenticator authenticator, string token, string name = "laptop")
    {
        var begun = await host.PostJsonAsync("/api/account/passkeys/options", token: token);
        var credential = authenticator.Create(begun["options"]!);
        return await host.PostJsonAsync("/api/account/passkeys", new { credential, state = S(begun["state"]), name }, token);
    }

    /// <summary>The options and state for signing in, optionally naming the account.</summary>
    public static async Task<(JsonNode Options, string State)> SignInOptionsAsync(AccountsHost host, string? userName = null)
    {
        var begun = await host.PostJsonAsync("/api/auth/passkey/options", userName is null ? new { } : new { userName });
        return (begun["options"]!, S(begun["state"]));
    }

    /// <summary>The body of a passkey sign-in the authenticator answered.</summary>
    public static async Task<object> SignInBodyAsync(AccountsHost host, SoftwareAuthenticator authenticator, string? userName = null, string? origin = null)
    {
        var (options, state) = await SignInOptionsAsync(host, userName);
        return new { credential = authenticator.Get(options, origin), state };
    }

    /// <summary>Signs in with the passkey: the token answer.</summary>
    public static async Task<JsonObject> SignInAsync(AccountsHost host, SoftwareAuthenticator authenticator, string? userName = null) =>
        await host.PostJsonAsync("/api/auth/passkey/login", await SignInBodyAsync(host, authenticator, userName));

    private static string S(JsonNode? node) => node!.GetValue<string>();
}
