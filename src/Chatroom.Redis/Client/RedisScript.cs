using System.Security.Cryptography;
using System.Text;

namespace Chatroom.Redis.Client;

/// <summary>A Lua script run with EVALSHA, falling back to EVAL when the server does not have it cached (after a restart).</summary>
internal sealed class RedisScript(string text)
{
    public string Text { get; } = text;

    public string Sha1 { get; } = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
}
