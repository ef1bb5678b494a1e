using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// The cross-room listener behind <c>watch_topic</c>: when a person's message in one room mentions a watched topic, the
/// concierge says so in the watching room. Watches are stored, so they survive restarts.
/// </summary>
public sealed class TopicWatcher(ITopicWatchStore watches, ChatService chat)
{
    public const string Notifier = "concierge";

    /// <summary>Lower-case words of the topic, single-spaced.</summary>
    public static string NormalizeTopic(string topic) => string.Join(' ', AgentRouter.Words(topic));

    /// <summary>True when every word of the topic occurs in the text (a trailing plural 's' is forgiven).</summary>
    public static bool Matches(string topic, string text)
    {
        var words = AgentRouter.Words(text).Select(w => w.TrimEnd('s')).ToHashSet(StringComparer.Ordinal);
        var wanted = topic.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return wanted.Length > 0 && wanted.All(w => words.Contains(w.TrimEnd('s')));
    }

    /// <summary>Notifies every room watching a topic this message mentions; returns how many were told.</summary>
    public async Task<int> CheckAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind != MessageKind.User || message.Hidden)
        {
            return 0;
        }

        var told = 0;
        foreach (var watch in (await watches.ListAsync(cancellationToken)).Where(w => w.Room != message.Room && Matches(w.Topic, message.Text)))
        {
            var text = $"\"{watch.Topic}\" came up in #{message.Room} — {message.AuthorName}: {RoomSummarizer.Excerpt(message.Text, 200)}";
            try
            {
                var result = await chat.PostAsync(new NewMessage(watch.Room, AgentRouter.AuthorPrefix + Notifier, Notifier, MessageKind.Agent, text,
                    $"watch-{watch.Id}-{message.Room}-{message.Id}"), cancellationToken);
                told += result.Duplicate ? 0 : 1;
            }
            catch (ChatException e) when (e.Code == ErrorCodes.UnknownRoom)
            {
                // The watching room was deleted: the watch has nowhere to report.
                await watches.RemoveAsync(watch.Room, watch.Topic, cancellationToken);
            }
        }

        return told;
    }
}
