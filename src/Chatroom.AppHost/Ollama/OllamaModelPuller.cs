using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Chatroom.AppHost.Ollama;

/// <summary>Pulls a model through Ollama's streaming <c>/api/pull</c> and shows its progress as the resource's state.</summary>
internal static partial class OllamaModelPuller
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public static async Task PullAsync(Uri endpoint, string model, IResource resource, ResourceNotificationService notifications, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            LogPulling(logger, model);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/api/pull")) { Content = JsonContent.Create(new { model, stream = true }) };
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            var lastPercent = -1;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var progress = JsonDocument.Parse(line);
                var root = progress.RootElement;
                if (root.TryGetProperty("error", out var error))
                {
                    throw new InvalidOperationException(error.GetString());
                }

                var status = root.TryGetProperty("status", out var s) ? s.GetString() ?? string.Empty : string.Empty;
                var percent = root.TryGetProperty("total", out var total) && root.TryGetProperty("completed", out var completed) && total.GetInt64() > 0
                    ? (int)(completed.GetInt64() * 100 / total.GetInt64())
                    : -1;
                if (percent >= 0 && percent == lastPercent)
                {
                    continue;
                }

                lastPercent = percent;
                var text = percent >= 0 ? $"Downloading {model} {percent.ToString(CultureInfo.InvariantCulture)}%" : $"{status} {model}";
                await notifications.PublishUpdateAsync(resource, state => state with { State = new ResourceStateSnapshot(text, KnownResourceStateStyles.Info) });
            }

            LogPulled(logger, model);
            await notifications.PublishUpdateAsync(resource, state => state with { State = KnownResourceStates.Running });
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or JsonException or IOException)
        {
            LogPullFailed(logger, model, e.Message);
            await notifications.PublishUpdateAsync(resource, state => state with { State = new ResourceStateSnapshot($"Pull failed: {e.Message}", KnownResourceStateStyles.Error) });
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Pulling model {Model}")]
    private static partial void LogPulling(ILogger logger, string model);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Model {Model} is ready")]
    private static partial void LogPulled(ILogger logger, string model);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Pulling model {Model} failed: {Reason}")]
    private static partial void LogPullFailed(ILogger logger, string model, string reason);
}
