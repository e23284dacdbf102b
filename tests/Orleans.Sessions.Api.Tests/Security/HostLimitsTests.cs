using System.Net;
using System.Net.Http.Headers;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>A host with tight rate limits: 3 requests at once per credential, then 1 a second.</summary>
public sealed class RateLimitedApiFactory : SessionsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sessions:RateLimits:PermitsPerSecond"] = "1",
        ["Sessions:RateLimits:Burst"] = "3",
        ["Sessions:RateLimits:AnonymousPermitsPerSecond"] = "1",
        ["Sessions:RateLimits:AnonymousBurst"] = "2",
    };
}

/// <summary>Per-credential rate limits (429 with Retry-After) on a host of its own.</summary>
public sealed class RateLimitTests(RateLimitedApiFactory factory) : IClassFixture<RateLimitedApiFactory>
{
    [Fact]
    public async Task A_credential_over_its_limit_gets_429_with_Retry_After_and_other_credentials_do_not()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 8; i++)
        {
            var response = await SendAsync(TestKeys.Read.Secret, $"/v1/tenants/{TestKeys.Tenant}/users/rl-user/sessions");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses.Take(3));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("rate-limited", await limited.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // Another key has a bucket of its own; probes and scrapes are never limited.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(SessionsApiFactory.BootstrapKey, $"/v1/tenants/{TestKeys.Tenant}/users/rl-user/sessions")).StatusCode);
        foreach (var probe in new[] { "/health/live", "/health/ready", "/healthz", "/metrics" })
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await SendAsync(null, probe)).StatusCode);
            }
        }
    }

    [Fact]
    public async Task Requests_without_a_valid_credential_are_limited_per_client_address()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await SendAsync("wrong-secret-" + i, "/v1/tenants/t/users/u/sessions")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], statuses.Take(2));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    private async Task<HttpResponseMessage> SendAsync(string? secret, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        return await factory.CreateAnonymousClient().SendAsync(request, TestContext.Current.CancellationToken);
    }
}

/// <summary>Kestrel's own limits on what a request may carry (docs/api.md, "Limits").</summary>
[Collection(ApiCollection.Name)]
public sealed class RequestLimitTests(SessionsApiFactory factory)
{
    [Fact]
    public async Task Headers_over_32_KiB_are_refused_with_431_and_nothing_changes()
    {
        var api = new ApiClient(factory.CreateClient());
        using var request = new HttpRequestMessage(HttpMethod.Post, api.Sessions) { Content = System.Net.Http.Json.JsonContent.Create(ApiClient.SignOnBody()) };
        request.Headers.Add("X-Padding", new string('a', 40 * 1024));

        using var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Empty(await api.ListAllAsync());
    }

    [Fact]
    public async Task Too_many_headers_are_refused_with_431()
    {
        var api = new ApiClient(factory.CreateClient());
        using var request = new HttpRequestMessage(HttpMethod.Get, api.Sessions);
        for (var i = 0; i < 80; i++)
        {
            request.Headers.Add($"X-Header-{i}", "x");
        }

        using var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }
}
