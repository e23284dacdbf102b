using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Audit;

/// <summary>
/// The audit history (docs/audit.md): every ending — sign-out, revoke, revoke-all, eviction, expiry — is entered with
/// who, why and when, in the write that stores it; every successful administrative change too, and nothing for reads
/// or refusals; filters by user, actor, kind and time; keyset pages with neither gaps nor repeats while endings go on.
/// On a host of the class's own: the expiry moves session time.
/// </summary>
public sealed class AuditTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    [Fact]
    public async Task Every_way_a_session_ends_is_entered_with_who_why_and_when()
    {
        var api = new ApiClient(factory.CreateClient());
        var signedOut = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{signedOut}/sign-out", null)).Status);
        var revoked = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{revoked}/revoke", new { reason = "lost laptop" })).Status);
        var kept = (await api.SignOnAsync()).Str("id");
        var (_, all) = await api.PostAsync($"{api.Sessions}/revoke", new { reason = "password changed", exceptSessionId = kept });
        Assert.Equal(0, all.GetProperty("count").GetInt32());
        var (_, signOn) = await api.PostAsync(api.Sessions, ApiClient.SignOnBody());
        var selfRevoked = signOn.GetProperty("session").Str("id");
        using (var self = new HttpRequestMessage(HttpMethod.Post, $"/v1/me/sessions/{selfRevoked}/revoke") { Content = JsonContent.Create(new { reason = "not me" }) })
        {
            self.Headers.Authorization = new AuthenticationHeaderValue("Bearer", signOn.Str("token"));
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(self)).Status);
        }

        var allOthers = (await api.PostAsync($"{api.Sessions}/revoke", new { reason = "password changed" })).Body.GetProperty("revoked").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal([kept], allOthers);

        // An eviction by the tenant policy's limit, and an expiry.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{api.Tenant}/policy") { Content = JsonContent.Create(new { activeSessionLimit = new { max = 1 } }) })).Status);
        var evicted = (await api.SignOnAsync(ApiClient.SignOnBody(idleTimeout: 60))).Str("id");
        var expiring = (await api.SignOnAsync(ApiClient.SignOnBody(idleTimeout: 60))).Str("id");
        var directory = $"/v1/tenants/{api.Tenant}/sessions";
        await Waiting.WaitForAsync("the session in the directory", async () =>
            (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10));
        factory.Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(0, (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength());
        List<JsonElement> entries = [];
        await Waiting.WaitForAsync("the expiry's entry", async () =>
            (entries = await ReadAllAsync(api, "")).Any(e => e.Str("kind") == "expiry"), TimeSpan.FromSeconds(10));

        var endings = entries.Where(e => e.Str("kind") != "admin").Reverse()
            .Select(e => (e.Str("kind"), e.Str("actor"), e.Str("sessionId"), e.GetProperty("reason").GetString())).ToList();
        Assert.Equal(
            [
                ("sign-out", "self", signedOut, "sign-out"),
                ("revoke", "bootstrap", revoked, "lost laptop"),
                ("revoke", "self", selfRevoked, "not me"),
                ("revoke-all", "bootstrap", kept, "password changed"),
                ("eviction", "system", evicted, "active-session-limit"),
                ("expiry", "system", expiring, "idle-timeout"),
            ],
            endings);
        Assert.All(entries.Where(e => e.Str("kind") != "admin"), e => Assert.Equal(api.UserId, e.Str("userId")));

        // Each entry is the ending's event: the same id and time.
        var events = (await api.GetAsync($"/v1/tenants/{api.Tenant}/events?limit=1000")).Body.GetProperty("items").EnumerateArray()
            .Where(e => e.Str("type") is "session.ended" or "session.revoked" or "session.evicted" or "session.expired")
            .Select(e => (e.Str("id"), e.GetProperty("occurredAt").GetDateTimeOffset())).ToList();
        Assert.Equal(events, entries.Where(e => e.Str("kind") != "admin").Reverse().Select(e => (e.Str("id"), e.GetProperty("occurredAt").GetDateTimeOffset())));
    }

    [Fact]
    public async Task Administrative_changes_are_entered_and_reads_and_refusals_are_not()
    {
        var api = new ApiClient(factory.CreateClient());
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{api.Tenant}/policy") { Content = JsonContent.Create(new { expiresIn = 3600 }) })).Status);
        var (created, webhook) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks", new { url = "https://203.0.113.9/hook", enabled = false });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{api.Tenant}/webhooks/{webhook.Str("id")}"))).Status);

        // Reads and refused changes: no entry.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/v1/tenants/{api.Tenant}/policy")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/v1/tenants/{api.Tenant}/webhooks")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{api.Tenant}/policy") { Content = JsonContent.Create(new { expiresIn = 1 }) })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{api.Tenant}/webhooks/ep_none"))).Status);

        var entries = await ReadAllAsync(api, "?kind=admin");
        Assert.Equal(
            [("DeleteWebhook", $"webhooks/{webhook.Str("id")}"), ("CreateWebhook", $"webhooks/{webhook.Str("id")}"), ("PutTenantPolicy", "policy")],
            entries.Select(e => (e.Str("operation"), e.Str("target"))));
        Assert.All(entries, e => Assert.Equal(("admin", "bootstrap"), (e.Str("kind"), e.Str("actor"))));
        Assert.All(entries, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("userId").ValueKind));
    }

    [Fact]
    public async Task Filters_select_by_user_actor_kind_and_time_and_bad_queries_are_refused()
    {
        var alice = new ApiClient(factory.CreateClient());
        var bob = new ApiClient(factory.CreateClient(), alice.Tenant);
        var a = (await alice.SignOnAsync()).Str("id");
        var b = (await bob.SignOnAsync()).Str("id");
        await alice.PostAsync($"{alice.Sessions}/{a}/sign-out", null);
        var between = factory.Clock.GetUtcNow();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await bob.PostAsync($"{bob.Sessions}/{b}/revoke", new { reason = "r" });

        Assert.Equal([a], (await ReadAllAsync(alice, $"?userId={alice.UserId}")).Select(e => e.Str("sessionId")));
        Assert.Equal([b], (await ReadAllAsync(alice, "?actor=bootstrap")).Select(e => e.Str("sessionId")));
        Assert.Equal([a], (await ReadAllAsync(alice, "?kind=sign-out")).Select(e => e.Str("sessionId")));
        var at = Uri.EscapeDataString(between.AddSeconds(1).ToString("O"));
        Assert.Equal([a], (await ReadAllAsync(alice, $"?until={at}")).Select(e => e.Str("sessionId")));
        Assert.Equal([b], (await ReadAllAsync(alice, $"?since={at}")).Select(e => e.Str("sessionId")));
        Assert.Empty(await ReadAllAsync(alice, $"?userId={bob.UserId}&kind=sign-out"));

        foreach (var (query, field) in new[] { ("kind=logout", "kind"), ("since=yesterday", "since"), ("limit=0", "limit"), ("cursor=abc", "cursor"), ("userId=a%20b", "userId") })
        {
            var (status, problem) = await alice.GetAsync($"/v1/tenants/{alice.Tenant}/audit?{query}");
            Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {status}");
            JsonAssert.HasErrorFor(problem, field);
        }
    }

    [Fact]
    public async Task Pages_have_neither_gaps_nor_repeats_while_sessions_keep_ending()
    {
        var api = new ApiClient(factory.CreateClient());
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await api.SignOnAsync()).Str("id"));
            await api.PostAsync($"{api.Sessions}/{ids[^1]}/sign-out", null);
        }

        // While the pages are read, 20 other users' sessions end, concurrently.
        using var stop = new CancellationTokenSource();
        var others = Task.Run(async () =>
        {
            var ended = 0;
            for (var i = 0; i < 20; i++)
            {
                var other = new ApiClient(factory.CreateClient(), api.Tenant);
                var id = (await other.SignOnAsync()).Str("id");
                await other.PostAsync($"{other.Sessions}/{id}/revoke", new { reason = "concurrent" });
                ended++;
            }

            return ended;
        });

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var (status, page) = await api.GetAsync($"/v1/tenants/{api.Tenant}/audit?limit=4" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.Str("id")));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(20, await others);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var signOuts = (await ReadAllAsync(api, "?kind=sign-out")).Select(e => e.Str("id")).ToList();
        Assert.Equal(30, signOuts.Count);
        Assert.All(signOuts, id => Assert.Contains(id, seen)); // Every entry there before the reading began.
        Assert.Equal(ids.AsEnumerable().Reverse(), (await ReadAllAsync(api, "?kind=sign-out")).Select(e => e.Str("sessionId")));
        Assert.Equal(20, (await ReadAllAsync(api, "?kind=revoke")).Count);
    }

    private static Task<List<JsonElement>> ReadAllAsync(ApiClient api, string query) =>
        AuditReader.ReadAllAsync(api.Http, api.Tenant, query.TrimStart('?'));
}
