using System.Net;

namespace Orleans.Sessions.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class DirectoryApiTests(SessionsApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    private string AllSessions => $"/v1/tenants/{_api.Tenant}/sessions";

    [Theory]
    [InlineData("?q=(a", "q")]
    [InlineData("?q=(%5Cw)%5C1", "q")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=501", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?offset=1001", "offset")]
    [InlineData("?ip=::ffff:10.0.0.0/129", "ip")]
    [InlineData("?sort=ip", "sort")]
    [InlineData("?status=revoked", "status")]
    [InlineData("?country=FRA", "country")]
    [InlineData("?deviceType=phone", "deviceType")]
    [InlineData("?ip=10.0.0.0/33", "ip")]
    [InlineData("?ip=10.0.0", "ip")]
    [InlineData("?activeSince=yesterday", "activeSince")]
    [InlineData("?impersonated=yes", "impersonated")]
    [InlineData("?userId=a%20b", "userId")]
    [InlineData("?cursor=nope", "cursor")]
    [InlineData("?cursor=x&offset=5", "cursor")]
    [InlineData("?q=a&q=b", "q")]
    public async Task Invalid_list_all_queries_are_400(string query, string field)
    {
        var (status, problem) = await _api.GetAsync(AllSessions + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.HasErrorFor(problem, field);
    }

    [Fact]
    public async Task A_pattern_longer_than_256_characters_is_400()
    {
        var (status, problem) = await _api.GetAsync(AllSessions + "?q=" + new string('a', 257));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.HasErrorFor(problem, "q");
    }

    [Fact]
    public async Task List_all_filters_and_counts_across_users()
    {
        await SignOnAsync("ann", "198.51.100.1", "FR", "web", "Ann Archer");
        await SignOnAsync("ann", "198.51.100.2", "DE", "mobile", "Ann Archer");
        await SignOnAsync("ben", "203.0.113.9", "FR", "web", "Ben Baker", "passkey");
        await WaitForTotalAsync(3);

        Assert.Equal(2, await TotalAsync("?country=FR"));
        Assert.Equal(2, await TotalAsync("?userId=ann"));
        Assert.Equal(1, await TotalAsync("?clientId=mobile"));
        Assert.Equal(2, await TotalAsync("?ip=198.51.100.0/24"));
        Assert.Equal(2, await TotalAsync("?ip=" + Uri.EscapeDataString("::ffff:198.51.100.0/120")));
        Assert.Equal(2, await TotalAsync("?q=archer"));
        Assert.Equal(1, await TotalAsync("?q=" + Uri.EscapeDataString(@"^203\.")));
        Assert.Equal(0, await TotalAsync("?impersonated=true"));

        var (_, page) = await _api.GetAsync(AllSessions + "?sort=userName&limit=1");
        var first = page.GetProperty("items")[0];
        Assert.Equal(("ann", "Ann Archer", "active"), (first.Str("userId"), first.Str("displayName"), first.Str("status")));

        var (status, counts) = await _api.GetAsync(AllSessions + "/count");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, counts.GetProperty("total").GetInt32());
        Assert.Equal(3, counts.GetProperty("byStatus").GetProperty("active").GetInt32());
        Assert.Equal(2, counts.GetProperty("byCountry").GetProperty("FR").GetInt32());
        Assert.Equal(3, counts.GetProperty("byDeviceType").GetProperty("other").GetInt32());
        Assert.Equal((2, 1), (counts.GetProperty("byAuthMethod").GetProperty("password").GetInt32(), counts.GetProperty("byAuthMethod").GetProperty("passkey").GetInt32()));
    }

    [Fact]
    public async Task Offset_paging_skips_what_it_says()
    {
        for (var i = 0; i < 5; i++)
        {
            await SignOnAsync($"o{i}", "192.0.2.1", "US", "web", null);
        }

        await WaitForTotalAsync(5);
        var all = await IdsAsync("?limit=5");
        Assert.Equal(all.Skip(2).Take(2), await IdsAsync("?limit=2&offset=2"));
    }

    [Fact]
    public async Task A_cursor_walk_under_concurrent_sign_ons_and_revocations_has_no_repeats_and_no_gaps()
    {
        var steady = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            steady.Add(await SignOnAsync($"steady{i % 6}", "192.0.2.10", "FR", "web", null));
        }

        var doomed = new List<(string User, string Id)>();
        for (var i = 0; i < 10; i++)
        {
            doomed.Add(($"doomed{i}", await SignOnAsync($"doomed{i}", "192.0.2.11", "FR", "web", null)));
        }

        await WaitForTotalAsync(40);

        var seen = new List<string>();
        string? cursor = null;
        var churn = 0;
        do
        {
            var (status, page) = await _api.GetAsync(AllSessions + "?limit=4" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(s => s.Str("id")));
            cursor = page.GetProperty("nextCursor").GetString();

            // Between pages, sessions come and go.
            await SignOnAsync($"newcomer{churn}", "192.0.2.12", "FR", "web", null);
            if (churn < doomed.Count)
            {
                await _api.PostAsync($"/v1/tenants/{_api.Tenant}/users/{doomed[churn].User}/sessions/{doomed[churn].Id}/revoke", new { reason = "churn" });
            }

            churn++;
        }
        while (cursor is not null && churn < 100);

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Empty(steady.Except(seen));
        Assert.Equal(seen.OrderDescending(StringComparer.Ordinal), seen);
    }

    private async Task<string> SignOnAsync(string user, string ip, string country, string clientId, string? displayName, string authMethod = "password")
    {
        var (status, body) = await _api.PostAsync($"/v1/tenants/{_api.Tenant}/users/{user}/sessions", new
        {
            ip,
            userAgent = "directory-test",
            authMethod,
            clientId,
            displayName,
            location = new { countryCode = country },
        });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("session").Str("id");
    }

    private async Task<int> TotalAsync(string query)
    {
        var (status, body) = await _api.GetAsync(AllSessions + query);
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("total").GetInt32();
    }

    private async Task<List<string>> IdsAsync(string query)
    {
        var (_, body) = await _api.GetAsync(AllSessions + query);
        return [.. body.GetProperty("items").EnumerateArray().Select(s => s.Str("id"))];
    }

    private Task WaitForTotalAsync(int expected) =>
        WaitForAsync($"list-all of tenant {_api.Tenant} to count {expected} sessions", async () => await TotalAsync("") == expected, TimeSpan.FromSeconds(15));
}
