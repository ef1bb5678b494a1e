using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Chatroom.Core.Webhooks;
using Microsoft.Extensions.Options;
using StandardWebhooks;

namespace Chatroom.Analysis.Webhooks;

/// <summary>What one try got: the receiver's status code (null when there was no answer), an error, and how long it took.</summary>
public sealed record WebhookAttempt(int? StatusCode, string? Error, TimeSpan Took)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends one delivery, signed per Standard Webhooks (<c>webhook-id</c>, <c>webhook-timestamp</c>,
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of id.timestamp.body&gt;</c>, by the StandardWebhooks package), through
/// the <see cref="HttpClientName"/> client: the SSRF guard on every connection, no redirects followed, the timeout
/// over the whole try and at most <see cref="WebhookOptions.MaxResponseBytes"/> of the answer read.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider time)
{
    public const string HttpClientName = "webhooks";

    public async Task<WebhookAttempt> SendAsync(WebhookSubscription subscription, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var started = time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var now = time.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", new StandardWebhook(subscription.Secret).Sign(delivery.Id, now, delivery.Payload));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Chatroom-Webhooks", "1.0"));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await DrainAsync(response, settings.MaxResponseBytes, timeout.Token);
            var status = (int)response.StatusCode;
            var error = status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => $"{status}: redirects are not followed (to {response.Headers.Location?.ToString() ?? "nowhere"})",
                _ => $"{status} {response.ReasonPhrase}",
            };
            return new WebhookAttempt(status, error, time.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttempt(null, $"no answer within {settings.Timeout.TotalSeconds:0.#} s", time.GetElapsedTime(started));
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is WebhookRefusedException refused ? refused.Message : e.Message;
            return new WebhookAttempt(null, reason, time.GetElapsedTime(started));
        }
    }

    /// <summary>Reads up to <paramref name="max"/> bytes and drops them: a receiver answering 10 MB costs no more than that.</summary>
    private static async Task DrainAsync(HttpResponseMessage response, int max, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(max, 16 * 1024) is > 0 and var size ? size : 1];
        var read = 0;
        while (read < max)
        {
            var n = await body.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, max - read)), cancellationToken);
            if (n == 0)
            {
                return;
            }

            read += n;
        }
    }
}
