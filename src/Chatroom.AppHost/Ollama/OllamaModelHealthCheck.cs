using System.Net.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chatroom.AppHost.Ollama;

/// <summary>Healthy when Ollama knows the model (<c>POST /api/show</c> answers 2xx), that is once it is pulled.</summary>
internal sealed class OllamaModelHealthCheck(EndpointReference endpoint, string model) : IHealthCheck
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await Http.PostAsJsonAsync(new Uri(new Uri(endpoint.Url), "/api/show"), new { model }, cancellationToken);
            return response.IsSuccessStatusCode
                ? HealthCheckResult.Healthy($"{model} is present")
                : HealthCheckResult.Unhealthy($"{model} is not pulled yet ({(int)response.StatusCode})");
        }
        catch (HttpRequestException e)
        {
            return HealthCheckResult.Unhealthy($"Ollama did not answer: {e.Message}");
        }
    }
}
