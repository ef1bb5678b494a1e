using System.Text.Json;
using Chatroom.Analysis.Guardian;
using Chatroom.Core.Chat;

namespace Chatroom.Guardian.Eval;

/// <summary>One line of the guardian set: a conversation, the family that wrote it, its split and label (1 = concerning).</summary>
internal sealed record LabelledConversation(
    string Id, string Family, string Split, int Label, IReadOnlyList<GuardianParticipant> Participants, IReadOnlyList<GuardianLine> Messages)
{
    public GuardianTranscript ToTranscript() => new(Participants, Messages);

    // Readable files: apostrophes and £ stay as they are (the files are data, never HTML).
    private static readonly JsonSerializerOptions Json = new(ChatJson.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<LabelledConversation> Read(string path) =>
        File.ReadLines(path).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<LabelledConversation>(l, ChatJson.Options) ?? throw new JsonException($"empty line in {path}"))
            .ToList();

    public static void Write(string path, IEnumerable<LabelledConversation> conversations)
    {
        using var writer = new StreamWriter(path) { NewLine = "\n" };
        foreach (var conversation in conversations)
        {
            writer.WriteLine(JsonSerializer.Serialize(conversation, Json));
        }
    }
}
