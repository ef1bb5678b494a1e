using Chatroom.Testing.Hosting;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// <c>Chatroom:Admin:Password</c>: a password nobody could type stops start-up, naming the key. (A blank one is unset to
/// the standalone host, which then generates one.)
/// </summary>
public sealed class AdminPasswordSettingTests
{
    [Theory]
    [InlineData("secret-from-a-file\n")]
    [InlineData(" padded ")]
    public async Task APasswordWithOuterWhiteSpaceStopsStartUp(string password)
    {
        using var data = new TempDirectory();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StandaloneHost.StartAsync(data.Path, new Dictionary<string, string?>
        {
            ["Chatroom:Admin:Password"] = password,
        }));

        Assert.Contains("Chatroom:Admin:Password", failure.Message);
    }
}
