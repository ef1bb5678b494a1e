using Chatroom.Embedded.Agents;
using Chatroom.Embedded.Bridges;
using Chatroom.Embedded.GuardianCases;
using Chatroom.Embedded.Contacts;
using Chatroom.Embedded.Messages;
using Chatroom.Embedded.Moderation;
using Chatroom.Embedded.Rooms;
using Chatroom.Embedded.Sqlite;
using Chatroom.Embedded.Webhooks;

namespace Chatroom.Embedded;

/// <summary>
/// The chat file (<c>chatroom.db</c>): the stores that share it, and so its schema. Each store keeps its own steps; this
/// list only says who is in the file. Sharing one file lets a room's deletion remove its messages and verdicts in one
/// transaction, and one commit serve every store's writes.
/// </summary>
public static class ChatDatabase
{
    /// <summary>Every store's steps; versions are shared across stores (see <see cref="SchemaStep"/>).</summary>
    public static IReadOnlyList<SchemaStep> Schema { get; } =
    [
        .. SqliteRoomStore.Schema,
        .. SqliteMessageLog.Schema,
        .. SqliteModerationStore.Schema,
        .. SqliteAgentStore.Schema,
        .. SqliteTopicWatchStore.Schema,
        .. SqliteDiscussionStore.Schema,
        .. SqliteParticipantStore.Schema,
        .. SqliteRoomRulesStore.Schema,
        .. SqliteGuardianCaseStore.Schema,
        .. SqliteContactRestrictionStore.Schema,
        .. SqliteGuardianSettingsStore.Schema,
        .. SqliteBlockStore.Schema,
        .. SqliteWebhookStore.Schema,
        .. SqliteBridgeStore.Schema,
    ];

    /// <summary>Opens (and migrates) the chat file at <paramref name="path"/>.</summary>
    public static SqliteDatabase Open(string path, string synchronous) => SqliteDatabase.Open(path, synchronous, Schema);
}
