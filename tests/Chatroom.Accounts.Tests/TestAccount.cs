using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Chatroom.Accounts.Tests;

/// <summary>An account a test made for itself, and the steps every test needs with it.</summary>
public sealed record TestAccount(string UserName, string Email, string Password)
{
    /// <summary>yyyy-mm-dd; an adult's unless a test says otherwise.</summary>
    public string DateOfBirth { get; init; } = "1990-04-01";

    public static TestAccount New(string prefix = "user") =>
        new($"{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}", $"{prefix}-{Guid.NewGuid():N}@example.com", "correct horse battery");

    public object Registration => new { userName = UserName, displayName = "Display " + UserName, email = Email, password = Password, dateOfBirth = DateOfBirth };

    /// <summary>A new account born <paramref name="age"/> years (and a day) ago.</summary>
    public static TestAccount Aged(int age, string prefix = "kid") => New(prefix) with
    {
        DateOfBirth = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-age).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task RegisterAsync(AccountsHost host)
    {
        using var response = await host.PostAsync("/api/auth/register", Registration);
        Assert.Equal(202, (int)response.StatusCode);
    }

    /// <summary>Registers, confirms with the link from the email, signs in: the token response.</summary>
    public async Task<JsonObject> RegisterConfirmAndSignInAsync(AccountsHost host)
    {
        await RegisterAsync(host);
        var (userId, token) = host.Smtp.LastLink(Email);
        using var confirm = await host.PostAsync("/api/auth/confirm-email", new { userId, token });
        Assert.Equal(204, (int)confirm.StatusCode);
        return await host.PostJsonAsync("/api/auth/login", new { login = UserName, password = Password });
    }
}
