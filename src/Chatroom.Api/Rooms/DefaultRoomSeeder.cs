using Chatroom.Core.Chat;
using Chatroom.Core.Rooms;
using Microsoft.Extensions.Options;

namespace Chatroom.Api.Rooms;

/// <summary>Makes sure the default room (<c>lobby</c>) exists, so a new deployment has somewhere to talk.</summary>
internal sealed class DefaultRoomSeeder(IRoomStore rooms, IOptions<ChatOptions> options, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.DefaultRoom;
        await rooms.TryCreateAsync(new Room(name, "Say hello", "system", time.GetUtcNow()), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
