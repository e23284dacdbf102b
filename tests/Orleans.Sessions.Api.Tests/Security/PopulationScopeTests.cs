using System.Net;
using System.Net.Http.Headers;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>A key limited to populations sees and acts only on sessions of those populations (PingOne's population-level administrator).</summary>
[Collection(ApiCollection.Name)]
public sealed class PopulationScopeTests(SessionsApiFactory factory)
{
    private readonly ApiClient _admin = new(factory.CreateClient());
    private readonly ApiClient _scoped = Keyed(factory, TestKeys.PopulationKey);

    private string Sessions => $"/v1/tenants/{TestKeys.Tenant}/users/{_admin.UserId}/sessions";

    [Fact]
    public async Task Lists_gets_and_counts_show_only_the_keys_populations()
    {
        var inScope = await SignOnAsync(TestKeys.Population);
        var outOfScope = await SignOnAsync(TestKeys.OtherPopulation);
        var noPopulation = await SignOnAsync(null);

        Assert.Equal([inScope], (await ListAsync(_scoped, Sessions)).Select(s => s.Str("id")));
        Assert.Equal([noPopulation, outOfScope, inScope], (await ListAsync(_admin, Sessions)).Select(s => s.Str("id")));
        Assert.Equal(HttpStatusCode.OK, (await _scoped.GetAsync($"{Sessions}/{inScope}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.GetAsync($"{Sessions}/{outOfScope}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.GetAsync($"{Sessions}/{noPopulation}")).Status);

        var listAll = $"/v1/tenants/{TestKeys.Tenant}/sessions?userId={_admin.UserId}";
        await WaitForDirectoryAsync(listAll, 3);
        Assert.Equal([inScope], (await ListAsync(_scoped, listAll)).Select(s => s.Str("id")));
        var (_, counts) = await _scoped.GetAsync($"/v1/tenants/{TestKeys.Tenant}/sessions/count?userId={_admin.UserId}");
        Assert.Equal(1, counts.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Changes_reach_only_the_keys_populations()
    {
        var inScope = await SignOnAsync(TestKeys.Population);
        var outOfScope = await SignOnAsync(TestKeys.OtherPopulation);

        var (signOnStatus, problem) = await _scoped.PostAsync(Sessions, new { ip = "203.0.113.1", userAgent = "scope-test", authMethod = "password", populationId = TestKeys.OtherPopulation });
        Assert.Equal(HttpStatusCode.Forbidden, signOnStatus);
        JsonAssert.IsProblem(problem, "out-of-scope");
        Assert.Equal(HttpStatusCode.Forbidden, (await _scoped.PostAsync(Sessions, new { ip = "203.0.113.1", userAgent = "scope-test", authMethod = "password" })).Status);
        Assert.Equal(HttpStatusCode.Created, (await _scoped.PostAsync(Sessions, new { ip = "203.0.113.1", userAgent = "scope-test", authMethod = "password", populationId = TestKeys.Population })).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.PostAsync($"{Sessions}/{outOfScope}/revoke", new { reason = "x" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _scoped.PostAsync($"{Sessions}/{outOfScope}/sign-out", null)).Status);
        var (revokeAllStatus, revoked) = await _scoped.PostAsync($"{Sessions}/revoke", new { reason = "population reset" });
        Assert.Equal(HttpStatusCode.OK, revokeAllStatus);
        Assert.Equal(2, revoked.GetProperty("count").GetInt32());
        Assert.DoesNotContain(outOfScope, revoked.GetProperty("revoked").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(inScope, revoked.GetProperty("revoked").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("active", (await _admin.GetAsync($"{Sessions}/{outOfScope}")).Body.Str("status"));
        Assert.Equal(TestKeys.PopulationKey.Name, (await _admin.GetAsync($"{Sessions}/{inScope}")).Body.GetProperty("end").Str("by"));
    }

    private static ApiClient Keyed(SessionsApiFactory factory, TestKey key)
    {
        var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        return new ApiClient(client);
    }

    private static async Task<List<System.Text.Json.JsonElement>> ListAsync(ApiClient client, string path)
    {
        var (status, body) = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. body.GetProperty("items").EnumerateArray()];
    }

    private Task WaitForDirectoryAsync(string path, int expected) =>
        WaitForAsync($"{path} to list {expected} sessions", async () => (await ListAsync(_admin, path)).Count == expected, TimeSpan.FromSeconds(10));

    private async Task<string> SignOnAsync(string? population)
    {
        var (status, body) = await _admin.PostAsync(Sessions, new { ip = "203.0.113.1", userAgent = "scope-test", authMethod = "password", populationId = population });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("session").Str("id");
    }
}
