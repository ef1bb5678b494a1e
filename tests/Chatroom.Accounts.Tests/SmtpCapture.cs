using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Chatroom.Testing.Hosting;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Chatroom.Accounts.Tests;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port that keeps every message it accepts. Recipients at
/// <see cref="RefusedDomain"/> are refused with 550 at the end of DATA, as a mail server refusing delivery would.
/// </summary>
public sealed class SmtpCapture : IAsyncDisposable
{
    public const string RefusedDomain = "refused.test";

    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SmtpServer.SmtpServer _server;
    private readonly Task _running;
    private readonly CancellationTokenSource _stop = new();

    public SmtpCapture()
    {
        Port = FreePort.Next();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new ServiceProvider();
        services.Add(new Store(_messages));
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>The messages to <paramref name="address"/>, oldest first.</summary>
    public IReadOnlyList<MimeMessage> To(string address) =>
        _messages.Where(m => m.To.Mailboxes.Any(b => b.Address.Equals(address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>The query of the one link in the last message to <paramref name="address"/> (userId and token).</summary>
    public (string UserId, string Token) LastLink(string address) => LinkIn(To(address)[^1]);

    /// <summary>The query of the one link in <paramref name="message"/> (userId and token).</summary>
    public static (string UserId, string Token) LinkIn(MimeMessage message)
    {
        var text = message.TextBody ?? string.Empty;
        var link = text.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("http", StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link).Query);
        return (query["userId"]!, query["token"]!);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Shutdown();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (transaction.To.Any(to => to.Host.Equals(RefusedDomain, StringComparison.OrdinalIgnoreCase)))
            {
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "mailbox unavailable");
            }

            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
