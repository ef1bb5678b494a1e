using System.Diagnostics;
using System.Text.Json;
using Chatroom.Core.Errors;
using Chatroom.Core.Moderation;
using Chatroom.Core.Queues;
using Chatroom.Testing.Hosting;
using Chatroom.Testing.SignalR;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Chatroom.EndToEnd.Tests;

/// <summary>
/// The work queue refuses writes (its disk full) while the message log still takes them: messages are acknowledged and
/// delivered as usual, and once the queue takes writes again every one of them is analysed and agents still answer.
/// </summary>
public sealed class QueueWriteFailureTests
{
    private const string Room = "queue-full";

    [Fact]
    public async Task MessagesStoredWhileTheQueueIsFullAreAnalysedAndAnsweredOnceItTakesWritesAgain()
    {
        using var data = new TempDirectory("chatroom-queue-full");
        FullQueue? queue = null;
        await using var host = await StandaloneHost.StartAsync(data.Path, composed: builder =>
        {
            var original = builder.Services.Last(d => d.ServiceType == typeof(IWorkQueue));
            builder.Services.Remove(original);
            builder.Services.AddSingleton<IWorkQueue>(sp => queue = new FullQueue((IWorkQueue)original.ImplementationFactory!(sp)));
        });
        var owner = await host.Api.GuestTokenAsync("owner");
        await host.Api.CreateRoomAsync(owner, Room);
        await using var ana = await host.Api.ConnectAsync("ana");
        await ana.InvokeAsync("JoinRoom", Room, null);
        var verdicts = host.Services.GetRequiredService<IModerationStore>();
        var retry = host.Services.GetRequiredService<QueueRetry>();

        var before = await SendAsync(ana, "before", 3);
        await WaitForVerdictsAsync(verdicts, before);

        queue!.Full = true;
        var whileFull = await SendAsync(ana, "while full", 5);
        var question = await ana.InvokeAsync("SendMessage", Room, "@assistant are you there?", "question");
        whileFull.Add(question.GetProperty("id").GetInt64());
        Assert.True(queue.Refused >= whileFull.Count, $"the queue refused {queue.Refused} writes");
        Assert.Equal(whileFull.Count, retry.Waiting);
        // The gauge is on the Prometheus page (its value is the count above; other hosts of this test process publish a
        // meter of the same name, so the page's number is not this host's alone).
        Assert.Contains("# TYPE chatroom_queue_retry_pending gauge", await host.Api.Http.GetStringAsync("/metrics"));
        foreach (var id in whileFull)
        {
            Assert.Null(await verdicts.GetVerdictAsync(Room, id, CancellationToken.None));
        }

        queue.Full = false;
        await WaitForVerdictsAsync(verdicts, whileFull);
        var reply = await ana.WaitForEventAsync("message", m => m.GetProperty("authorId").GetString() == "agent:assistant", TimeSpan.FromSeconds(30));
        Assert.Contains("Text generation is not configured", reply.GetProperty("text").GetString());
        Assert.Equal(0, retry.Waiting);
    }

    private static async Task<List<long>> SendAsync(HubClient client, string text, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var ack = await client.InvokeAsync("SendMessage", Room, $"{text} {i}", $"{text.Replace(' ', '-')}-{i}");
            ids.Add(ack.GetProperty("id").GetInt64());
        }

        return ids;
    }

    private static async Task WaitForVerdictsAsync(IModerationStore verdicts, IReadOnlyList<long> ids)
    {
        var clock = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            while (await verdicts.GetVerdictAsync(Room, id, CancellationToken.None) is null)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"message {id} was never analysed");
                await Task.Delay(50);
            }
        }
    }

    /// <summary>The real queue, refusing writes as a full disk makes SQLite refuse them while <see cref="Full"/>.</summary>
    private sealed class FullQueue(IWorkQueue inner) : IWorkQueue, IAsyncDisposable
    {
        private int _refused;

        public volatile bool Full;

        public int Refused => Volatile.Read(ref _refused);

        public ValueTask EnqueueAsync(string queue, WorkItem item, CancellationToken cancellationToken) =>
            EnqueueAsync([queue], item, cancellationToken);

        public ValueTask EnqueueAsync(IReadOnlyList<string> queues, WorkItem item, CancellationToken cancellationToken)
        {
            if (Full)
            {
                Interlocked.Increment(ref _refused);
                throw new ChatException(ErrorCodes.StorageFull, "the server's disk is full; nothing was stored, try again later");
            }

            return inner.EnqueueAsync(queues, item, cancellationToken);
        }

        public ValueTask<IReadOnlyList<QueueEntry>> ReadAsync(string queue, string consumer, int max, TimeSpan wait, CancellationToken cancellationToken) =>
            inner.ReadAsync(queue, consumer, max, wait, cancellationToken);

        public ValueTask AckAsync(string queue, string entryId, CancellationToken cancellationToken) => inner.AckAsync(queue, entryId, cancellationToken);

        public ValueTask<long> BacklogAsync(string queue, CancellationToken cancellationToken) => inner.BacklogAsync(queue, cancellationToken);

        public ValueTask<IReadOnlyList<QueueEntry>> DeadLettersAsync(string queue, int max, CancellationToken cancellationToken) =>
            inner.DeadLettersAsync(queue, max, cancellationToken);

        public ValueTask DisposeAsync() => inner is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
    }
}
