using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests;

/// <summary>Small helpers over <see cref="HttpClient"/> for one test user; responses are read as raw JSON.</summary>
/// <param name="http">The client it sends with.</param>
/// <param name="tenant">The tenant, when the user is to share one with another test user; a new one otherwise.</param>
internal sealed class ApiClient(HttpClient http, string? tenant = null)
{
    public string Tenant { get; } = tenant ?? "acme-" + Guid.NewGuid().ToString("N")[..8];

    public string UserId { get; } = "user-" + Guid.NewGuid().ToString("N")[..8];

    public string Sessions => $"/v1/tenants/{Tenant}/users/{UserId}/sessions";

    public HttpClient Http => http;

    public static object SignOnBody(string ip = "203.0.113.10", string? clientId = null, long? idleTimeout = null) => new
    {
        ip,
        userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        authMethod = "password",
        clientId,
        idleTimeout,
    };

    public async Task<JsonElement> SignOnAsync(object? body = null)
    {
        var (status, json) = await PostAsync(Sessions, body ?? SignOnBody());
        Assert.True(status == HttpStatusCode.Created, $"sign-on answered {status}: {json}");
        return json.GetProperty("session");
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object? body) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) });

    public Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(string path, string content) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(content, Encoding.UTF8, "application/json") });

    public Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, json);
    }

    public async Task<List<JsonElement>> ListAllAsync(string query = "")
    {
        var (status, body) = await GetAsync(Sessions + query);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}

internal static class JsonAssert
{
    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static void IsProblem(JsonElement body, string typeSuffix)
    {
        Assert.Equal("urn:orleans-sessions:problem:" + typeSuffix, body.Str("type"));
        Assert.False(string.IsNullOrEmpty(body.Str("title")));
    }

    public static void HasErrorFor(JsonElement body, params string[] fields)
    {
        IsProblem(body, "validation");
        var errors = body.GetProperty("errors");
        foreach (var field in fields)
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for '{field}' in {errors}");
        }
    }
}
