using System.Net;
using System.Text;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// <c>Logging:Console:FormatterName=json</c> (docs/operations.md, "Logs"), read from a real silo's console: one JSON object
/// a line, a request's lines carry its trace id and tenant in their scopes, and no line carries a key, a token or
/// what a token is made of — through sign-on, token use, revoke, the dashboard's sign-in, probes and the scrape.
/// </summary>
public sealed class JsonLogsTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Every_line_is_JSON_with_the_trace_id_and_the_tenant_and_no_secret()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var silo = await HostProcess.StartSiloAsync(
            new Dictionary<string, string> { ["Sessions:DataDirectory"] = _data.Path },
            "Production",
            ct,
            new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "json" });
        using var client = silo.CreateClient();
        const string Tenant = "json-logs-tenant";

        using var signOn = await client.PostAsync($"/v1/tenants/{Tenant}/users/u1/sessions", Json("""{"ip":"203.0.113.9","userAgent":"json-logs","authMethod":"password"}"""), ct);
        Assert.Equal(HttpStatusCode.Created, signOn.StatusCode);
        var body = JsonDocument.Parse(await signOn.Content.ReadAsStringAsync(ct)).RootElement;
        var token = body.GetProperty("token").GetString()!;
        var sessionId = body.GetProperty("session").GetProperty("id").GetString()!;

        using (var mine = new HttpRequestMessage(HttpMethod.Get, "/v1/me/sessions") { Headers = { Authorization = new("Bearer", token) } })
        using (var anonymous = new HttpClient { BaseAddress = silo.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(mine, ct)).StatusCode);
            using var login = await anonymous.PostAsync("/dashboard/login", new FormUrlEncodedContent([new("key", HostProcess.BootstrapKey)]), ct);
            Assert.True(login.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{login.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/metrics", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/tenants/{Tenant}/users/u1/sessions", ct)).StatusCode);
        }

        using var revoke = await client.PostAsync($"/v1/tenants/{Tenant}/users/u1/sessions/{sessionId}/revoke", Json("""{"reason":"json logs"}"""), ct);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await silo.StopAsync(ct); // Everything logged is written.

        var lines = silo.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var entries = lines.Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                throw new Xunit.Sdk.XunitException($"Not a JSON line: {line}");
            }
        }).ToList();

        var audit = Assert.Single(entries, e => e.GetProperty("Category").GetString() == "Orleans.Sessions.Audit" && e.GetProperty("Message").GetString()!.Contains(sessionId, StringComparison.Ordinal));
        var scopes = audit.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var traceId) && traceId.GetString()!.Length == 32);
        Assert.Contains(scopes, s => s.TryGetProperty("Tenant", out var tenant) && tenant.GetString() == Tenant);
        Assert.Matches("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$", audit.GetProperty("Timestamp").GetString());

        var tokenSecret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        foreach (var secret in new[] { HostProcess.BootstrapKey, token, tokenSecret })
        {
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
