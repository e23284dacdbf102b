using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>
/// Every mapped endpoint, with every route value and a set of query parameters and bodies replaced by hostile
/// values, as a fully privileged caller in every credential style: nothing may answer 5xx (docs/api.md, "Errors").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(SessionsApiFactory factory)
{
    private static readonly string[] Values =
    [
        "", " ", "%00", "..%2F..%2Fetc%2Fpasswd", new string('a', 3000), "ünïcødé-🙂", "<script>", "'; DROP TABLE x; --",
        "-1", "0", "99999999999999999999999", "1e308", "NaN", "null", "true", "{}", "[]", "{\"a\":", "%7B%22loginAt%22%3A-1%7D",
        "01ARZ3NDEKTSV4RRFFQ69G5FAV", "session_01ARZ3NDEKTSV4RRFFQ69G5FAV", "00000000-0000-0000-0000-000000000000", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "(a+)+$", "[", "*", "sst_x.y",
    ];

    private static readonly string[] QueryNames =
    [
        "status", "clientId", "sort", "limit", "cursor", "offset", "q", "userId", "country", "deviceType", "ip", "activeSince",
        "activeBefore", "impersonated", "before", "after", "order", "filter", "count", "page", "size", "client_id", "sessionId",
    ];

    private static readonly string[] Bodies =
    [
        "", "null", "[]", "{", "\"text\"", "{\"ip\":{}}", "{\"reason\":123}", "{\"session_id\":[1,2]}", "{\"sessionId\":null}",
        "{\"ip\":\"203.0.113.1\",\"userAgent\":\"x\",\"authMethod\":\"password\",\"clientHints\":{\"Sec-CH-UA-Platform-Version\":\"99999999999999999999\"},\"location\":{\"latitude\":1e400}}",
        "{\"ip\":\"203.0.113.1\",\"userAgent\":\"x\",\"authMethod\":\"password\",\"expiresIn\":-5,\"idleTimeout\":1e30}",
    ];

    [Fact]
    public async Task No_hostile_input_to_any_endpoint_gets_a_server_error()
    {
        var client = factory.CreateAnonymousClient();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != "/healthz")
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        var failures = new List<string>();
        var sent = 0;

        foreach (var (method, endpoint) in endpoints)
        {
            foreach (var value in Values)
            {
                var path = Path(endpoint, value);
                var query = string.Join('&', QueryNames.Select(name => $"{name}={Uri.EscapeDataString(value)}"));
                foreach (var body in method == "GET" || method == "DELETE" ? [""] : Bodies)
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), $"{path}?{query}");
                    if (body.Length > 0)
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }

                    Authorize(request);
                    using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                    sent++;
                    if ((int)response.StatusCode >= 500)
                    {
                        failures.Add($"{method} {path}?{query[..Math.Min(query.Length, 80)]} body {body}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
                    }
                }
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{sent} hostile requests to {endpoints.Count} endpoints");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }

    /// <summary>The route with every parameter set to <paramref name="value"/> (tenant-like ones kept valid half the time).</summary>
    private static string Path(RouteEndpoint endpoint, string value)
    {
        var segments = endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter when parameter.Name is "tenant" or "envID" && value.Length % 2 == 0 => TestKeys.Tenant,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart => Uri.EscapeDataString(value.Length == 0 ? "x" : value),
            _ => "",
        })));
        return "/" + string.Join('/', segments);
    }

    private static void Authorize(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey);
        request.Headers.Add("sessionToken", SessionsApiFactory.BootstrapKey);
        request.Headers.Add("X-API-KEY", SessionsApiFactory.BootstrapKey);
        request.Headers.Add("X-User-Id", "bootstrap");
        request.Headers.Add("X-Auth-Token", SessionsApiFactory.BootstrapKey);
    }
}
