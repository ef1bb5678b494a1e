using System.Text.Json;

namespace Chatroom.Core.Chat;

/// <summary>The one JSON shape of the product: camelCase, as the web defaults.</summary>
public static class ChatJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static JsonElement ToElement<T>(T value) => JsonSerializer.SerializeToElement(value, Options);
}
