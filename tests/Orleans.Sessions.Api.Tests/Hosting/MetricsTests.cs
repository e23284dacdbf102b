using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Orleans.Sessions.Api.Tests.Compat;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>
/// <c>/metrics</c> (docs/operations.md, "Metrics"), read the way Prometheus reads it: scraped anonymously and parsed by an
/// independent parser of the text format (tests/clients/prometheus.mjs). Every family of the service's meter is there
/// after the work that feeds it, with its tags, and no tag names a tenant or a user.
/// </summary>
/// <remarks>
/// Meters are process-wide: a host's OpenTelemetry provider also listens to the same-named instruments of every other host
/// this test process runs, and drops a metric's series when another host disposes its instrument. So this class runs alone,
/// after the parallel ones (a CI run once scraped 2 sign-ons of 12 while other factories came and went).
/// </remarks>
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    [Fact]
    public async Task Prometheus_reads_every_family_of_the_service_with_tenant_free_tags()
    {
        var api = new ApiClient(factory.CreateClient());
        var (created, stream) = await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams", new
        {
            delivery = new { method = "urn:ietf:rfc:8936" },
            events_requested = new[] { "https://schemas.openid.net/secevent/caep/event-type/session-revoked" },
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var (status, signedOn) = await api.PostAsync(api.Sessions, ApiClient.SignOnBody());
        Assert.Equal(HttpStatusCode.Created, status);
        var first = signedOn.GetProperty("session").GetProperty("id").GetString();
        var token = signedOn.GetProperty("token").GetString();
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"{api.Sessions}/{first}/activity", new { ip = "198.51.100.7" })).Status);
        for (var i = 0; i < 2; i++)
        {
            // The first check asks the user grain, the second finds it in the host's short cache (session time stands still).
            using var mine = new HttpRequestMessage(HttpMethod.Get, "/v1/me/sessions") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
            using var answer = await factory.CreateAnonymousClient().SendAsync(mine, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        var second = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{second}/sign-out", null)).Status);
        var third = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{third}/revoke", new { reason = "metrics" })).Status);
        for (var i = 0; i < 9; i++)
        {
            await api.SignOnAsync(); // The tenth record in the ring and past it: the oldest active session is dropped.
        }

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/revoke", new { reason = "metrics" })).Status);
        var crawler = await api.SignOnAsync(new { ip = "203.0.113.10", userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", authMethod = "password" });
        Assert.Contains("bot_agent", crawler.GetProperty("risk").GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
        using (var refused = await factory.CreateAnonymousClient().GetAsync(api.Sessions, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // One session that expires: the directory finds it expired on its next query after the expiry.
        var expiring = new ApiClient(factory.CreateClient());
        await expiring.SignOnAsync(ApiClient.SignOnBody(idleTimeout: 60));
        var directory = $"/v1/tenants/{expiring.Tenant}/sessions";
        await WaitForAsync("the expiring session in the directory", async () =>
            (await expiring.GetAsync(directory)).Body.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10));
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, (await expiring.GetAsync(directory)).Body.GetProperty("items").GetArrayLength());
        await WaitForAsync("the expiry stored with its event", async () =>
            (await expiring.GetAsync($"/v1/tenants/{expiring.Tenant}/events?type=session.expired")).Body.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10));

        // The poll stream's SETs polled and acknowledged.
        var poll = stream.GetProperty("delivery").Str("endpoint_url");
        var polled = (await api.PostAsync(poll, new { returnImmediately = true })).Body.GetProperty("sets").EnumerateObject().Select(s => s.Name).ToList();
        Assert.NotEmpty(polled);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(poll, new { ack = polled, maxEvents = 0 })).Status);

        // A revoke-by-query job over the user's sessions.
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var byQuery = (await api.SignOnAsync()).Str("id");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var revokeByQuery = $"/v1/tenants/{api.Tenant}/sessions/revoke?userId={api.UserId}";
        var (_, dry) = await api.PostAsync(revokeByQuery, new { reason = "metrics", dryRun = true });
        var (_, job) = await api.PostAsync(revokeByQuery, new { reason = "metrics", confirmation = dry.Str("confirmation") });
        await WaitForAsync("the revoke-by-query job to complete", async () =>
            (await api.GetAsync($"/v1/tenants/{api.Tenant}/jobs/{job.Str("id")}")).Body.Str("status") == "completed", TimeSpan.FromSeconds(30));
        Assert.Equal("revoked", (await api.GetAsync($"{api.Sessions}/{byQuery}")).Body.Str("status"));

        var scraped = await OfficialClients.RunAsync(
            "prometheus.mjs", "parse-prometheus-text-format", new Dictionary<string, string> { ["METRICS_URL"] = new Uri(factory.CreateClient().BaseAddress!, "/metrics").ToString() }, new { });
        Assert.StartsWith("text/plain", scraped.GetProperty("contentType").GetString(), StringComparison.Ordinal);
        var families = scraped.GetProperty("families").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);

        AssertCounter(families, "sessions_sign_ons_total", new() { ["auth_method"] = "password", ["device_type"] = "desktop" }, atLeast: 12);
        AssertCounter(families, "sessions_activities_total", [], atLeast: 1);
        AssertCounter(families, "sessions_sign_outs_total", [], atLeast: 1);
        AssertCounter(families, "sessions_revocations_total", new() { ["by"] = "key" }, atLeast: 1);
        AssertCounter(families, "sessions_revocations_total", new() { ["by"] = "bulk" }, atLeast: 1);
        AssertCounter(families, "sessions_evictions_total", new() { ["reason"] = "ring_full" }, atLeast: 1);
        AssertCounter(families, "sessions_expirations_total", [], atLeast: 1);
        AssertCounter(families, "sessions_revoke_jobs_sessions_total", new() { ["outcome"] = "ended" }, atLeast: 1);
        AssertCounter(families, "sessions_refusals_total", new() { ["reason"] = "MissingCredential" }, atLeast: 1);
        AssertCounter(families, "sessions_token_checks_total", new() { ["cache"] = "miss" }, atLeast: 1);
        AssertCounter(families, "sessions_token_checks_total", new() { ["cache"] = "hit" }, atLeast: 1);
        AssertCounter(families, "sessions_events_total", new() { ["type"] = "session.created" }, atLeast: 12);
        AssertCounter(families, "sessions_events_total", new() { ["type"] = "session.revoked" }, atLeast: 1);
        AssertCounter(families, "sessions_events_total", new() { ["type"] = "session.expired" }, atLeast: 1);
        AssertCounter(families, "sessions_events_total", new() { ["type"] = "session.risk" }, atLeast: 1);
        AssertCounter(families, "sessions_risk_signals_total", new() { ["signal"] = "bot_agent" }, atLeast: 1);
        AssertCounter(families, "sessions_risk_signals_total", new() { ["signal"] = "new_device" }, atLeast: 1);
        AssertCounter(families, "sessions_delivery_polled_total", new() { ["receiver"] = "ssf_poll", ["outcome"] = "sent" }, atLeast: polled.Count);
        AssertCounter(families, "sessions_delivery_polled_total", new() { ["receiver"] = "ssf_poll", ["outcome"] = "acknowledged" }, atLeast: polled.Count);
        Assert.Equal("GAUGE", families["sessions_active"].GetProperty("type").GetString());
        Assert.Equal("GAUGE", families["sessions_delivery_receivers"].GetProperty("type").GetString());
        Assert.Equal("GAUGE", families["sessions_delivery_backlog"].GetProperty("type").GetString());
        Assert.Equal("GAUGE", families["sessions_delivery_lag_seconds"].GetProperty("type").GetString());
        var text = scraped.GetProperty("text").GetString()!;
        AssertHistogram(families, text, "sessions_directory_query_duration_seconds", "operation=\"list\"");
        AssertHistogram(families, text, "sessions_storage_commit_duration_seconds", "storage=\"sqlite\"");
        AssertHistogram(families, text, "sessions_storage_commit_writes", "storage=\"sqlite\"");
        Assert.Contains(families.Keys, name => name.StartsWith("http_server_request_duration", StringComparison.Ordinal));

        Assert.DoesNotContain(api.Tenant, text, StringComparison.Ordinal);
        Assert.DoesNotContain(expiring.Tenant, text, StringComparison.Ordinal);
        var labelValues = families.Values
            .Where(f => f.GetProperty("name").GetString()!.StartsWith("sessions_", StringComparison.Ordinal))
            .SelectMany(f => f.GetProperty("metrics").EnumerateArray())
            .Where(m => m.TryGetProperty("labels", out _))
            .SelectMany(m => m.GetProperty("labels").EnumerateObject().Select(l => l.Value.GetString()))
            .ToList();
        Assert.DoesNotContain(labelValues, v => v == api.Tenant || v == api.UserId || v == expiring.Tenant || v == expiring.UserId);
    }

    private static void AssertCounter(Dictionary<string, JsonElement> families, string name, Dictionary<string, string> labels, double atLeast)
    {
        Assert.True(families.TryGetValue(name, out var family), $"{name} is not scraped; families: {string.Join(", ", families.Keys.Where(k => k.StartsWith("sessions", StringComparison.Ordinal)))}");
        Assert.Equal("COUNTER", family.GetProperty("type").GetString());
        var total = Matching(family, labels).Sum(m => double.Parse(m.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(total >= atLeast, $"{name}{{{string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"))}}} is {total}, not at least {atLeast}: {family}");
    }

    /// <summary>A histogram family the parser read, with a series carrying <paramref name="label"/> that counted something.</summary>
    private static void AssertHistogram(Dictionary<string, JsonElement> families, string text, string name, string label)
    {
        Assert.True(families.TryGetValue(name, out var family), $"{name} is not scraped");
        Assert.Equal("HISTOGRAM", family.GetProperty("type").GetString());
        var counts = text.Split('\n').Where(line => line.StartsWith(name + "_count{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal));
        Assert.Contains(counts, line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    private static IEnumerable<JsonElement> Matching(JsonElement family, Dictionary<string, string> labels) =>
        family.GetProperty("metrics").EnumerateArray().Where(m =>
            labels.All(l => m.TryGetProperty("labels", out var own) && own.TryGetProperty(l.Key, out var value) && value.GetString() == l.Value));
}

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;
