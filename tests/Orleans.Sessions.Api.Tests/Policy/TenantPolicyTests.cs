using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Policy;

/// <summary>
/// The tenant policy at run time (docs/policy.md): read with its ETag, replaced conditionally, applied from the next
/// sign-on — lifetimes (the client's entry first, a sign-on's own values above both), the ring size, active-session
/// limits per user and per client that end the oldest or refuse — and every bad change refused, changing nothing.
/// Each test has a tenant of its own; this host is one silo, which learns a change as it stores it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TenantPolicyTests(SessionsApiFactory factory)
{
    [Fact]
    public async Task A_tenant_without_a_policy_is_at_version_0_with_configurations_values()
    {
        var api = new ApiClient(factory.CreateClient());
        var (status, policy, etag) = await GetPolicyAsync(api);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("\"0\"", etag);
        Assert.Equal(0, policy.GetProperty("version").GetInt64());
        foreach (var unset in new[] { "expiresIn", "idleTimeout", "maxSessionsPerUser", "activeSessionLimit", "updatedAt", "updatedBy" })
        {
            Assert.Equal(JsonValueKind.Null, policy.GetProperty(unset).ValueKind);
        }

        Assert.Empty(policy.GetProperty("clients").EnumerateArray());
        var defaults = policy.GetProperty("defaults");
        Assert.Equal(24 * 3600, defaults.GetProperty("expiresIn").GetInt64()); // Sessions:DefaultExpiresIn
        Assert.Equal(30 * 60, defaults.GetProperty("idleTimeout").GetInt64());
        Assert.Equal(10, defaults.GetProperty("maxSessionsPerUser").GetInt32());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("activeSessionLimit").ValueKind);
    }

    [Fact]
    public async Task Lifetimes_apply_from_the_next_sign_on_the_clients_entry_first_and_the_sign_ons_own_values_above_both()
    {
        var api = new ApiClient(factory.CreateClient());
        var before = await api.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"));

        var (status, policy, etag) = await PutPolicyAsync(api, new
        {
            expiresIn = 8 * 3600,
            idleTimeout = 600,
            clients = new[] { new { clientId = "kiosk", expiresIn = 900, idleTimeout = (int?)120 }, new { clientId = "tv", expiresIn = 7200, idleTimeout = (int?)null } },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("\"1\"", etag);
        Assert.Equal(1, policy.GetProperty("version").GetInt64());
        Assert.Equal("bootstrap", policy.Str("updatedBy"));
        Assert.Equal(8 * 3600, policy.GetProperty("expiresIn").GetInt64());
        Assert.Equal(["kiosk", "tv"], policy.GetProperty("clients").EnumerateArray().Select(c => c.Str("clientId")));
        Assert.Equal(policy.GetRawText(), (await GetPolicyAsync(api)).Policy.GetRawText());

        // A session made before keeps its lifetimes: 24 h and 30 min from configuration.
        Assert.Equal((TimeSpan.FromHours(24), TimeSpan.FromMinutes(30)), Lifetimes(await SessionAsync(api, before.Str("id"))));
        Assert.Equal((TimeSpan.FromHours(8), TimeSpan.FromMinutes(10)), Lifetimes(await api.SignOnAsync(ApiClient.SignOnBody(clientId: "web"))));
        Assert.Equal((TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(2)), Lifetimes(await api.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"))));
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromMinutes(10)), Lifetimes(await api.SignOnAsync(ApiClient.SignOnBody(clientId: "tv")))); // The tenant's idle timeout.
        Assert.Equal((TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5)), Lifetimes(await api.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk", idleTimeout: 300))));
        Assert.Equal((TimeSpan.FromHours(8), TimeSpan.FromMinutes(10)), Lifetimes(await api.SignOnAsync()));

        // An empty policy: configuration again.
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { })).Status);
        Assert.Equal((TimeSpan.FromHours(24), TimeSpan.FromMinutes(30)), Lifetimes(await api.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"))));
    }

    [Fact]
    public async Task The_ring_size_and_the_active_limits_per_user_and_per_client_end_the_oldest_or_refuse()
    {
        var api = new ApiClient(factory.CreateClient());

        // Ring of 3: a fourth sign-on drops the oldest record.
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { maxSessionsPerUser = 3 })).Status);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await api.SignOnAsync()).Str("id"));
        }

        Assert.Equal(ids.Skip(1).Reverse(), (await api.ListAllAsync()).Select(s => s.Str("id")));

        // Per client: one kiosk session, the oldest ended; other clients' sessions untouched.
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new
        {
            maxSessionsPerUser = 10,
            clients = new[] { new { clientId = "kiosk", activeSessionLimit = new { max = 1, onLimit = "endOldest" } } },
        })).Status);
        var firstKiosk = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"))).Str("id");
        var secondKiosk = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"))).Str("id");
        var first = await SessionAsync(api, firstKiosk);
        Assert.Equal("evicted", first.Str("status"));
        Assert.Equal("client-session-limit", first.GetProperty("end").Str("reason"));
        Assert.Equal("active", (await SessionAsync(api, secondKiosk)).Str("status"));
        foreach (var id in ids.Skip(1))
        {
            Assert.Equal("active", (await SessionAsync(api, id)).Str("status"));
        }

        // Per user, refusing: at four active sessions of four allowed, the next sign-on is 409 and changes nothing.
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { activeSessionLimit = new { max = 4, onLimit = "refuse" } })).Status);
        var ring = (await api.ListAllAsync()).Select(s => s.GetRawText()).ToList();
        var (refused, problem) = await api.PostAsync(api.Sessions, ApiClient.SignOnBody());
        Assert.Equal(HttpStatusCode.Conflict, refused);
        JsonAssert.IsProblem(problem, "active-session-limit");
        Assert.Equal(ring, (await api.ListAllAsync()).Select(s => s.GetRawText()));

        // Per user, ending the oldest: down to two active sessions, the two oldest active ones ended.
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { activeSessionLimit = new { max = 3 } })).Status);
        var newest = (await api.SignOnAsync()).Str("id");
        var active = (await api.ListAllAsync()).Where(s => s.Str("status") == "active").Select(s => s.Str("id")).ToList();
        Assert.Equal([newest, secondKiosk, ids[3]], active);
        Assert.Equal("active-session-limit", (await SessionAsync(api, ids[1])).GetProperty("end").Str("reason"));
    }

    [Fact]
    public async Task A_change_naming_a_version_that_is_not_current_is_412_and_changes_nothing()
    {
        var api = new ApiClient(factory.CreateClient());
        var (_, _, first) = await PutPolicyAsync(api, new { expiresIn = 3600 }, ifMatch: "\"0\"");
        Assert.Equal("\"1\"", first);

        foreach (var stale in new[] { "\"0\"", "W/\"1\"", "\"2\"", "\"one\"", "1", "\"0\", \"2\"" })
        {
            var (status, problem, etag) = await PutPolicyAsync(api, new { expiresIn = 60 }, ifMatch: stale);
            Assert.True(status == HttpStatusCode.PreconditionFailed, $"If-Match {stale}: {status} {problem}");
            JsonAssert.IsProblem(problem, "policy-changed");
            Assert.Equal("\"1\"", etag); // The current version, to read again.
        }

        Assert.Equal(3600, (await GetPolicyAsync(api)).Policy.GetProperty("expiresIn").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { expiresIn = 7200 }, ifMatch: "\"0\", \"1\"")).Status);
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { expiresIn = 7200 }, ifMatch: "*")).Status);
        Assert.Equal("\"3\"", (await GetPolicyAsync(api)).ETag);
    }

    [Fact]
    public async Task Bad_policies_are_400_naming_the_field_and_change_nothing()
    {
        var api = new ApiClient(factory.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { idleTimeout = 900 })).Status);
        var kept = (await GetPolicyAsync(api)).Policy.GetRawText();

        foreach (var (body, field) in new (string, string)[]
        {
            ("""{"expiresIn":59}""", "expiresIn"),
            ("""{"idleTimeout":-1}""", "idleTimeout"),
            ("""{"maxSessionsPerUser":0}""", "maxSessionsPerUser"),
            ("""{"maxSessionsPerUser":11}""", "maxSessionsPerUser"), // Above Sessions:MaxSessionsPerUser (10 here).
            ("""{"activeSessionLimit":{"onLimit":"refuse"}}""", "activeSessionLimit.max"),
            ("""{"activeSessionLimit":{"max":2,"onLimit":"random"}}""", "activeSessionLimit.onLimit"),
            ("""{"clients":[{"expiresIn":600}]}""", "clients[0].clientId"),
            ("""{"clients":[{"clientId":"a b"}]}""", "clients[0].clientId"),
            ("""{"clients":[{"clientId":"web"},{"clientId":"web","expiresIn":600}]}""", "clients[1].clientId"),
            ("""{"clients":[null]}""", "clients[0]"),
            ("{\"clients\":[" + string.Join(",", Enumerable.Range(0, 101).Select(i => $"{{\"clientId\":\"c{i}\"}}")) + "]}", "clients"),
        })
        {
            var (status, problem) = await api.SendAsync(new HttpRequestMessage(HttpMethod.Put, Path(api)) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });
            Assert.True(status == HttpStatusCode.BadRequest, $"{body}: {status} {problem}");
            JsonAssert.HasErrorFor(problem, field);
        }

        Assert.Equal(kept, (await GetPolicyAsync(api)).Policy.GetRawText());
    }

    private static string Path(ApiClient api) => $"/v1/tenants/{api.Tenant}/policy";

    private static (TimeSpan ExpiresIn, TimeSpan IdleTimeout) Lifetimes(JsonElement session)
    {
        var created = session.GetProperty("createdAt").GetDateTimeOffset();
        return (session.GetProperty("expiresAt").GetDateTimeOffset() - created, session.GetProperty("idleExpiresAt").GetDateTimeOffset() - created);
    }

    private static async Task<JsonElement> SessionAsync(ApiClient api, string id)
    {
        var (status, session) = await api.GetAsync($"{api.Sessions}/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        return session;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Policy, string? ETag)> GetPolicyAsync(ApiClient api)
    {
        using var response = await api.Http.GetAsync(Path(api), TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken), response.Headers.ETag?.ToString());
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body, string? ETag)> PutPolicyAsync(ApiClient api, object policy, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Path(api)) { Content = JsonContent.Create(policy) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await api.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken), response.Headers.ETag?.ToString());
    }
}
