using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatroom.Testing.SignalR;

namespace Chatroom.Testing.Http;

/// <summary>REST calls the tests make over and over, against a real host.</summary>
public sealed class ChatApiClient(Uri baseAddress) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http { get; } = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Uri BaseAddress => baseAddress;

    /// <summary>Signs a guest in and returns the bearer token.</summary>
    public async Task<string> GuestTokenAsync(string name)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/guest", new { name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!["token"]!.GetValue<string>();
    }

    public async Task<string> AdminTokenAsync(string password)
    {
        using var response = await Http.PostAsJsonAsync("/api/auth/admin", new { password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!["token"]!.GetValue<string>();
    }

    /// <summary>
    /// Registers an account and signs it in (the host must not require a confirmed email): its user id and bearer token.
    /// </summary>
    public async Task<(string UserId, string Token)> RegisterAccountAsync(string userName, string password, string dateOfBirth = "1990-04-01")
    {
        using (var registered = await SendAsync(HttpMethod.Post, "/api/auth/register", null,
            new { userName, email = $"{userName}@example.com", password, dateOfBirth }))
        {
            Assert.Equal(202, (int)registered.StatusCode);
        }

        using var response = await SendAsync(HttpMethod.Post, "/api/auth/login", null, new { login = userName, password });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!;
        return (body["user"]!["id"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    /// <summary>
    /// Registers an account, has the admin make it a moderator and signs it in again so its token carries the role (the host
    /// must not require a confirmed email, nor a second factor for staff): its user id and bearer token.
    /// </summary>
    public async Task<(string UserId, string Token)> RegisterModeratorAsync(string adminToken, string userName, string password)
    {
        var (id, _) = await RegisterAccountAsync(userName, password);
        using (var roles = await SendAsync(HttpMethod.Put, $"/api/admin/users/{id}/roles", adminToken, new { roles = new[] { "moderator" } }))
        {
            roles.EnsureSuccessStatusCode();
        }

        using var login = await SendAsync(HttpMethod.Post, "/api/auth/login", null, new { login = userName, password });
        login.EnsureSuccessStatusCode();
        var body = (await login.Content.ReadFromJsonAsync<JsonObject>(Json))!;
        Assert.Equal("moderator", body["user"]!["role"]!.GetValue<string>());
        return (id, body["token"]!.GetValue<string>());
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>GETs JSON with the token; fails the test on a non-success status.</summary>
    public async Task<JsonObject> GetJsonAsync(string path, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>(Json))!;
    }

    /// <summary>GETs a JSON array with the token; fails the test on a non-success status.</summary>
    public async Task<JsonArray> GetJsonArrayAsync(string path, string token)
    {
        using var response = await SendAsync(HttpMethod.Get, path, token);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonArray>(Json))!;
    }

    /// <summary>Reads a problem+json response: its status and stable code.</summary>
    public static async Task<(int Status, string? Code)> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>(Json);
        return ((int)response.StatusCode, problem?["code"]?.GetValue<string>());
    }

    public async Task CreateRoomAsync(string token, string room)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/rooms", token, new { name = room });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A guest connected to the hub.</summary>
    public async Task<HubClient> ConnectAsync(string name) => await ConnectWithTokenAsync(await GuestTokenAsync(name));

    public Task<HubClient> ConnectWithTokenAsync(string token) => HubClient.ConnectAsync(baseAddress, "/hubs/chat", token);

    public void Dispose() => Http.Dispose();
}
