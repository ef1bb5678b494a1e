using Chatroom.Analysis.Agents.Routing;
using Chatroom.Analysis.Agents.Tools;
using Chatroom.Core.Agents;
using Chatroom.Core.Chat;
using Chatroom.Core.Errors;
using Chatroom.Core.Messages;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Chatroom.Analysis.Agents;

/// <summary>
/// The cross-room listener behind <c>watch_topic</c>: when a person's message in one room is about a watched topic — it
/// contains the topic's words, or its meaning is close enough (sentence-embedding similarity at least
/// <see cref="AgentOptions.WatchThreshold"/>) — the concierge says so in the watching room, and its feed gets a
/// <c>watch</c> event with the score. Watches are stored, so they survive restarts. Private and direct rooms are never
/// watched: their words are for their members only.
/// </summary>
public sealed class TopicWatcher(
    ITopicWatchStore watches, ChatService chat, IRoomStore rooms, SemanticMatcher matcher, AgentFeed feed, IOptions<AgentOptions> options)
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

        var elsewhere = (await watches.ListAsync(cancellationToken)).Where(w => w.Room != message.Room).ToList();
        if (elsewhere.Count == 0 || await rooms.GetAsync(message.Room, cancellationToken) is not { IsMembersOnly: false })
        {
            return 0;
        }

        var scores = await matcher.ScoreAsync(message.Text, elsewhere.Select(w => w.Topic).ToList(), cancellationToken);
        var told = 0;
        for (var i = 0; i < elsewhere.Count; i++)
        {
            var watch = elsewhere[i];
            var byWords = Matches(watch.Topic, message.Text);
            var score = scores?[i];
            if (!byWords && !(score >= options.Value.WatchThreshold))
            {
                continue;
            }

            var text = $"\"{watch.Topic}\" came up in #{message.Room} — {message.AuthorName}: {RoomSummarizer.Excerpt(message.Text, 200)}";
            var runId = $"watch-{watch.Id}-{message.Room}-{message.Id}";
            try
            {
                var result = await chat.PostAsync(new NewMessage(watch.Room, AgentRouter.AuthorPrefix + Notifier, Notifier, MessageKind.Agent, text, runId), cancellationToken);
                told += result.Duplicate ? 0 : 1;
                await feed.PublishAsync(Notifier, runId, "watch", watch.Room,
                    new { topic = watch.Topic, from = message.Room, messageId = message.Id, match = byWords ? "words" : "meaning", score, notificationId = result.Message.Id },
                    cancellationToken);
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
