using System.Net.Http.Headers;

namespace Chatroom.Analysis.Models;

/// <summary>
/// Whether the analysis and reasoning models are configured and answer: a cheap listing request (Ollama's <c>api/tags</c>,
/// an OpenAI-compatible server's <c>models</c>), never a generation. Answers are kept a few seconds, so a dashboard opened in
/// several tabs does not probe the model server once per tab.
/// </summary>
public sealed partial class ModelStatusProbe(IConfiguration configuration, IHttpClientFactory http, TimeProvider time, ILogger<ModelStatusProbe> logger)
{
    /// <summary>The probe's HTTP client: no standard resilience, one short attempt (a retried probe only delays the answer).</summary>
    public const string HttpClientName = "model-status";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _probing = new(1, 1);
    private (long At, IReadOnlyList<ModelStatus> Statuses)? _last;

    public async Task<IReadOnlyList<ModelStatus>> GetAsync(CancellationToken cancellationToken)
    {
        await _probing.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetElapsedTime(last.At) < KeepFor)
            {
                return last.Statuses;
            }

            var probes = await Task.WhenAll(ProbeAsync(ModelKeys.Analysis, cancellationToken), ProbeAsync(ModelKeys.Reasoning, cancellationToken));
            var (analysis, reasoning) = (probes[0], probes[1]);

            // Agents fall back to the other model (AgentModelClients); moderation's LLM tier has only the analysis model.
            IReadOnlyList<ModelStatus> statuses =
            [
                Status(analysis, "moderation's LLM tier and the concierge", reasoning.Works
                    ? "Moderation decides with the embedded classifier alone; the concierge uses the reasoning model."
                    : "Moderation decides with the embedded classifier alone; the concierge understands only commands and plain requests."),
                Status(reasoning, "agents' answers", analysis.Works
                    ? "Agents answer with the analysis model."
                    : "Agents answer without a model: commands and plain requests only."),
            ];
            _last = (time.GetTimestamp(), statuses);
            return statuses;
        }
        finally
        {
            _probing.Release();
        }
    }

    private static ModelStatus Status(Probe probe, string purpose, string meanwhile)
    {
        var key = "ConnectionStrings__" + probe.Name;
        if (probe.Connection is not { } connection)
        {
            return new ModelStatus(probe.Name, purpose, key, false, null, null, null,
                $"Not configured. {meanwhile} Set {key}=Endpoint=http://host:11434;Model=<name> (add Provider=openai;Key=… for an "
                + "OpenAI-compatible server) on the analysis service and restart it; see docs/configuration.md.");
        }

        var endpoint = connection.Endpoint.GetLeftPart(UriPartial.Path);
        return probe.Problem is null
            ? new ModelStatus(probe.Name, purpose, key, true, true, connection.Model, endpoint, null)
            : new ModelStatus(probe.Name, purpose, key, true, false, connection.Model, endpoint,
                $"{key} points at {endpoint} (model {connection.Model}), which does not answer ({probe.Problem}). {meanwhile} "
                + $"Start that server or correct {key}.");
    }

    private async Task<Probe> ProbeAsync(string name, CancellationToken cancellationToken)
    {
        var value = configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return new Probe(name, null, null);
        }

        // Start-up refuses a malformed connection string, so this parses.
        var connection = AnalysisModelConnection.Parse(value);
        var problem = await ReachAsync(connection, cancellationToken);
        if (problem is not null)
        {
            LogUnreachable(logger, name, connection.Endpoint.GetLeftPart(UriPartial.Path), problem);
        }

        return new Probe(name, connection, problem);
    }

    /// <summary>Null when the model server answered, else what went wrong in a few words.</summary>
    private async Task<string?> ReachAsync(AnalysisModelConnection connection, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(connection.Endpoint, connection.IsOpenAi ? "models" : "api/tags"));
        if (connection.IsOpenAi && connection.Key is { } apiKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            return e.HttpRequestError == HttpRequestError.ConnectionError ? "connection refused or host not found" : e.Message;
        }
    }

    /// <summary>A model's connection (null when not configured) and why it did not answer (null when it did).</summary>
    private sealed record Probe(string Name, AnalysisModelConnection? Connection, string? Problem)
    {
        public bool Works => Connection is not null && Problem is null;
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "The {Name} at {Endpoint} does not answer: {Problem}")]
    private static partial void LogUnreachable(ILogger logger, string name, string endpoint, string problem);
}
