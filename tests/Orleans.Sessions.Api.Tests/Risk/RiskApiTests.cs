using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Risk;

/// <summary>
/// Risk signals through the API (docs/risk.md) with MaxMind's three test databases — city, ASN and anonymous IP — and
/// session time in the test's hands: the record's <c>risk</c>, <c>session.risk</c> events, list-all's <c>risk</c> and
/// <c>minRiskScore</c> filters, counts by signal, and the tenant policy's risk settings.
/// </summary>
public sealed class RiskApiTests(RiskApiTests.NetworkApiFactory factory) : IClassFixture<RiskApiTests.NetworkApiFactory>
{
    /// <summary>A host with the anonymous-IP database beside the city and ASN ones.</summary>
    public sealed class NetworkApiFactory : OwnClockApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sessions:GeoIp:AnonymousIpDatabasePath"] = Testing.TestData.AnonymousIpDatabase,
        };
    }

    private const string Windows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    [Fact]
    public async Task London_then_Changchun_ten_minutes_later_is_impossible_travel_in_the_record_events_list_all_and_counts()
    {
        var api = new ApiClient(factory.CreateClient());
        var london = await api.SignOnAsync(new { ip = "81.2.69.142", userAgent = Windows, authMethod = "password" });
        // The test database lists London's network as an anonymizer and a hosting provider; a first sign-on has no history.
        AssertRisk(london, 30, "anonymous_network");
        var network = london.GetProperty("locations")[0].GetProperty("network");
        Assert.Equal((true, true), (network.GetProperty("anonymous").GetBoolean(), network.GetProperty("hosting").GetBoolean()));
        Assert.Equal(["vpn", "tor", "public-proxy", "residential-proxy"], network.GetProperty("anonymizers").EnumerateArray().Select(a => a.GetString()));

        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        var changchun = await api.SignOnAsync(new { ip = "175.16.199.0", userAgent = IPhone, authMethod = "password" });

        AssertRisk(changchun, 100, "new_device", "new_country", "impossible_travel", "concurrent_distant"); // 150, at most 100
        Assert.Equal(factory.Clock.GetUtcNow(), changchun.GetProperty("risk").GetProperty("evaluatedAt").GetDateTimeOffset());
        var (_, read) = await api.GetAsync($"{api.Sessions}/{changchun.Str("id")}");
        Assert.Equal(changchun.GetProperty("risk").GetRawText(), read.GetProperty("risk").GetRawText());

        var events = (await api.GetAsync($"/v1/tenants/{api.Tenant}/events?userId={api.UserId}")).Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["session.created", "session.risk", "session.created", "session.risk"], events.Select(e => e.Str("type")));
        Assert.Equal(changchun.GetProperty("risk").GetRawText(), events[3].GetProperty("data").GetProperty("risk").GetRawText());
        var (riskOnly, riskEvents) = await api.GetAsync($"/v1/tenants/{api.Tenant}/events?type=session.risk");
        Assert.Equal((HttpStatusCode.OK, 2), (riskOnly, riskEvents.GetProperty("items").GetArrayLength()));

        var directory = $"/v1/tenants/{api.Tenant}/sessions";
        await WaitForAsync("both sessions in the directory with their risk", async () =>
            (await api.GetAsync($"{directory}?minRiskScore=1")).Body.GetProperty("total").GetInt32() == 2, TimeSpan.FromSeconds(10));
        Assert.Equal([changchun.Str("id")], await IdsAsync(api, $"{directory}?risk=impossible_travel"));
        Assert.Equal([london.Str("id")], await IdsAsync(api, $"{directory}?risk=anonymous_network"));
        Assert.Equal([changchun.Str("id")], await IdsAsync(api, $"{directory}?minRiskScore=31"));
        Assert.Empty(await IdsAsync(api, $"{directory}?risk=bot_agent"));
        Assert.Empty(await IdsAsync(api, $"{directory}?risk=anonymous_network&minRiskScore=31"));
        var listed = (await api.GetAsync($"{directory}?risk=new_device")).Body.GetProperty("items")[0].GetProperty("risk");
        Assert.Equal((100, 4), (listed.GetProperty("score").GetInt32(), listed.GetProperty("signals").GetArrayLength()));

        var (_, counts) = await api.GetAsync($"{directory}/count");
        Assert.Equal(
            """{"anonymous_network":1,"concurrent_distant":1,"impossible_travel":1,"new_country":1,"new_device":1}""",
            JsonSerializer.Serialize(counts.GetProperty("byRisk").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value.GetInt32())));
        Assert.Equal(1, (await api.GetAsync($"{directory}/count?risk=new_country")).Body.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("risk=sleepy", "risk")]
    [InlineData("risk=new_device&risk=bot_agent", "risk")]
    [InlineData("minRiskScore=101", "minRiskScore")]
    [InlineData("minRiskScore=-1", "minRiskScore")]
    [InlineData("minRiskScore=high", "minRiskScore")]
    public async Task Bad_risk_filters_are_400(string query, string field)
    {
        var api = new ApiClient(factory.CreateClient());
        foreach (var path in new[] { "", "/count" })
        {
            var (status, problem) = await api.GetAsync($"/v1/tenants/{api.Tenant}/sessions{path}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            JsonAssert.HasErrorFor(problem, field);
        }
    }

    [Fact]
    public async Task Missing_data_raises_nothing_a_private_an_unknown_and_a_clean_address()
    {
        var api = new ApiClient(factory.CreateClient());
        await api.SignOnAsync(new { ip = "10.0.0.7", userAgent = Windows, authMethod = "password" });
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        AssertRisk(await api.SignOnAsync(new { ip = "203.0.113.7", userAgent = Windows, authMethod = "password" }), 0);
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var linkoping = await api.SignOnAsync(new { ip = "89.160.20.112", userAgent = Windows, authMethod = "password" });

        // The first place with a country and coordinates: nothing to compare it with yet. Its network is known clean.
        AssertRisk(linkoping, 0);
        var network = linkoping.GetProperty("locations")[0].GetProperty("network");
        Assert.Equal((29518L, false, false), (network.GetProperty("asn").GetInt64(), network.GetProperty("anonymous").GetBoolean(), network.GetProperty("hosting").GetBoolean()));
        Assert.Empty((await api.GetAsync($"/v1/tenants/{api.Tenant}/events?type=session.risk")).Body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Activity_from_a_new_address_adds_its_signals_at_once_with_a_session_risk_event()
    {
        var api = new ApiClient(factory.CreateClient());
        var session = await api.SignOnAsync(new { ip = "89.160.20.112", userAgent = Windows, authMethod = "password" });
        factory.Clock.Advance(TimeSpan.FromMinutes(10));

        var (status, moved) = await api.PostAsync($"{api.Sessions}/{session.Str("id")}/activity", new { ip = "216.160.83.56" });

        Assert.Equal(HttpStatusCode.Accepted, status);
        AssertRisk(moved, 90, "new_country", "impossible_travel"); // Linköping to Milton, 7,800 km in ten minutes
        var events = (await api.GetAsync($"/v1/tenants/{api.Tenant}/events?type=session.risk")).Body.GetProperty("items");
        Assert.Equal(moved.GetProperty("risk").GetRawText(), Assert.Single(events.EnumerateArray()).GetProperty("data").GetProperty("risk").GetRawText());
    }

    [Fact]
    public async Task The_tenant_policy_sets_weights_and_thresholds_or_turns_the_evaluation_off_and_refuses_bad_settings()
    {
        var api = new ApiClient(factory.CreateClient());
        var (status, policy) = await PutPolicyAsync(api, new { risk = new { weights = new Dictionary<string, int> { ["new_device"] = 5 }, maxSpeedKmh = 100_000 } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"new_device":5}""", policy.GetProperty("risk").GetProperty("weights").GetRawText());
        Assert.Equal(900, policy.GetProperty("defaults").GetProperty("risk").GetProperty("maxSpeedKmh").GetInt32());

        await api.SignOnAsync(new { ip = "89.160.20.112", userAgent = Windows, authMethod = "password" });
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        // A phone in Milton: a new device weighing 5, a new country; no travel is impossible below 100,000 km/h.
        AssertRisk(await api.SignOnAsync(new { ip = "216.160.83.56", userAgent = IPhone, authMethod = "password" }), 75, "new_device", "new_country", "concurrent_distant");

        Assert.Equal(HttpStatusCode.OK, (await PutPolicyAsync(api, new { risk = new { enabled = false } })).Status);
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        var unassessed = await api.SignOnAsync(new { ip = "81.2.69.142", userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", authMethod = "password" });
        Assert.Equal(JsonValueKind.Null, unassessed.GetProperty("risk").ValueKind);

        foreach (var (bad, field) in new (object Body, string Field)[]
        {
            (new { risk = new { weights = new Dictionary<string, int> { ["sleepy"] = 5 } } }, "risk.weights"),
            (new { risk = new { weights = new Dictionary<string, int> { ["bot_agent"] = 101 } } }, "risk.weights.bot_agent"),
            (new { risk = new { maxSpeedKmh = 0 } }, "risk.maxSpeedKmh"),
            (new { risk = new { distantKm = 20_001 } }, "risk.distantKm"),
            (new { risk = new { deviceMemory = 60 } }, "risk.deviceMemory"),
        })
        {
            var (refused, problem) = await PutPolicyAsync(api, bad);
            Assert.True(refused == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(bad)}: {refused} {problem}");
            JsonAssert.HasErrorFor(problem, field);
        }

        var (_, unchanged) = await api.GetAsync($"/v1/tenants/{api.Tenant}/policy");
        Assert.False(unchanged.GetProperty("risk").GetProperty("enabled").GetBoolean());
    }

    private static void AssertRisk(JsonElement session, int score, params string[] signals)
    {
        var risk = session.GetProperty("risk");
        Assert.Equal(signals, risk.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(score, risk.GetProperty("score").GetInt32());
    }

    private static async Task<List<string>> IdsAsync(ApiClient api, string path)
    {
        var (status, body) = await api.GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
        return [.. body.GetProperty("items").EnumerateArray().Select(i => i.Str("id"))];
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PutPolicyAsync(ApiClient api, object policy)
    {
        using var response = await api.Http.PutAsJsonAsync($"/v1/tenants/{api.Tenant}/policy", policy, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));
    }
}
