using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Chatroom.EndToEnd.Tests.Integrations;

/// <summary>One request a <see cref="WebhookReceiver"/> got: its path, webhook-id, body, and whether the signature checked out.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Body, bool SignatureValid);

/// <summary>
/// A real HTTP receiver on loopback (Kestrel) that verifies Standard Webhooks signatures with the secret it is given
/// per path, records every request, and answers per path as a test says: a status, a hang, a redirect, or 10 MB.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentDictionary<string, Func<int, WebhookAnswer>> _answers = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly ConcurrentDictionary<string, Func<ReceivedWebhook, Task>> _afterwards = new();
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.Run(context => receiver!.HandleAsync(context));
        await app.StartAsync();
        var bound = new Uri(app.Urls.First());
        receiver = new WebhookReceiver(app, bound);
        return receiver;
    }

    /// <summary>Which secret verifies requests to <paramref name="path"/>, and how that path answers the n-th try (1-based) of each delivery.</summary>
    public string Url(string path, string secret, Func<int, WebhookAnswer>? answer = null)
    {
        _secrets[path] = secret;
        _answers[path] = answer ?? (_ => WebhookAnswer.Status(204));
        return new Uri(Address, path).ToString();
    }

    public void AnswerOn(string path, Func<int, WebhookAnswer> answer) => _answers[path] = answer;

    /// <summary>
    /// Work a receiver does after answering each request to <paramref name="path"/> (answer at once, work later, as
    /// receivers should), e.g. posting back into chat.
    /// </summary>
    public void Afterwards(string path, Func<ReceivedWebhook, Task> work) => _afterwards[path] = work;

    /// <summary>Waits (polling, generous deadline) for a request matching <paramref name="match"/>.</summary>
    public async Task<ReceivedWebhook> WaitForAsync(Func<ReceivedWebhook, bool> match, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no matching webhook arrived; got {_received.Count}: {string.Join(", ", _received.Select(r => r.Path + " " + r.Id))}");
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var valid = false;
        if (_secrets.TryGetValue(path, out var secret))
        {
            try
            {
                new StandardWebhook(secret).Verify(body, context.Request.Headers);
                valid = true;
            }
            catch (WebhookVerificationException)
            {
                valid = false;
            }
        }

        var received = new ReceivedWebhook(path, context.Request.Headers["webhook-id"].ToString(), body, valid);
        _received.Enqueue(received);
        if (_afterwards.TryGetValue(path, out var work))
        {
            context.Response.OnCompleted(() => work(received));
        }

        var count = _counts.AddOrUpdate(path + "\n" + context.Request.Headers["webhook-id"], 1, (_, n) => n + 1);
        var answer = _answers.TryGetValue(path, out var answers) ? answers(count) : WebhookAnswer.Status(404);
        switch (answer.Kind)
        {
            case WebhookAnswerKind.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            case WebhookAnswerKind.Redirect:
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = answer.Location;
                return;
            case WebhookAnswerKind.Huge:
                context.Response.StatusCode = 200;
                var chunk = new byte[64 * 1024];
                for (var sent = 0; sent < 10 * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
                {
                    try
                    {
                        await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException)
                    {
                        // The sender stopped reading at its cap and closed the connection: what this answer is for.
                        return;
                    }
                }

                return;
            default:
                context.Response.StatusCode = answer.Code;
                return;
        }
    }
}

public enum WebhookAnswerKind
{
    Status,
    Hang,
    Redirect,
    Huge,
}

/// <summary>How a <see cref="WebhookReceiver"/> path answers one request.</summary>
public sealed record WebhookAnswer(WebhookAnswerKind Kind, int Code = 200, string? Location = null)
{
    public static WebhookAnswer Status(int code) => new(WebhookAnswerKind.Status, code);

    public static readonly WebhookAnswer Hang = new(WebhookAnswerKind.Hang);

    public static readonly WebhookAnswer Huge = new(WebhookAnswerKind.Huge);

    public static WebhookAnswer RedirectTo(string location) => new(WebhookAnswerKind.Redirect, 302, location);
}
