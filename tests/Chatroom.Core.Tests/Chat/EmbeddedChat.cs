using Chatroom.Core.Auth;
using Chatroom.Core.Chat;
using Chatroom.Embedded;
using Chatroom.Core.Messages;
using Chatroom.Core.Moderation;
using Chatroom.Core.Queues;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.Core.Tests.Chat;

/// <summary>
/// The chat core over the embedded backends in a temporary folder, wired as the services wire it, on a clock the test
/// moves: the rules are tested against the stores they read in production, not against stand-ins.
/// </summary>
internal sealed class EmbeddedChat : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "chatroom-rules-" + Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public EmbeddedChat(Action<ChatOptions>? configure = null, Action<AuthOptions>? auth = null)
    {
        Directory.CreateDirectory(_folder);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddSingleton<TimeProvider>(Time);
        services.Configure<EmbeddedOptions>(o => (o.DataDirectory, o.SqliteSynchronous) = (_folder, "NORMAL"));
        services.Configure<QueueOptions>(_ => { });
        services.Configure<ChatOptions>(o => configure?.Invoke(o));
        services.Configure<AuthOptions>(o => auth?.Invoke(o));
        services.AddEmbeddedChatBackends();
        services.AddSingleton<ChatMetrics>();
        services.AddSingleton<QueueRetry>();
        services.AddOptions<IntegrationOptions>();
        services.AddSingleton<LoopGuard>();
        services.AddSingleton<ChatService>();
        services.AddSingleton<RoomService>();
        services.AddSingleton<SendAdmission>();
        services.AddSingleton<RoomAccess>();
        services.AddSingleton<Chatroom.Core.Contacts.ConversationService>();
        services.Configure<Chatroom.Core.Contacts.ConversationOptions>(_ => { });
        _services = services.BuildServiceProvider();
    }

    public ManualClock Time { get; } = new();

    public IRoomStore RoomStore => _services.GetRequiredService<IRoomStore>();

    public IModerationStore Moderation => _services.GetRequiredService<IModerationStore>();

    public IMessageLog Log => _services.GetRequiredService<IMessageLog>();

    public RoomService Rooms => _services.GetRequiredService<RoomService>();

    public SendAdmission Admission => _services.GetRequiredService<SendAdmission>();

    /// <summary>A person with a connection of their own (rates per <see cref="ChatOptions"/>) who has joined <paramref name="rooms"/>.</summary>
    public TestSender Sender(string userId, bool admin = false, params string[] rooms) => Sender(userId, admin, budget: null, rooms);

    /// <summary>Another connection of a person: it shares <paramref name="budget"/> with the person's other connections.</summary>
    public TestSender Sender(string userId, bool admin, UserBudget? budget, params string[] rooms)
    {
        var options = _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatOptions>>().Value;
        var identity = new ChatIdentity(userId, userId, admin ? ChatRoles.Admin : ChatRoles.Guest, DateTimeOffset.MaxValue);
        return new TestSender(
            identity,
            new TokenBucket(options.MessagesPerSecond, options.Burst, Time),
            budget ?? new UserBudget(new TokenBucket(options.UserMessagesPerSecond, options.UserBurst, Time)),
            rooms);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
