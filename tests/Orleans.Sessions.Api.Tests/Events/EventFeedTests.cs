using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Events;

/// <summary>
/// The event model and the pull feed (docs/events.md): every type of event comes from the operation that should make
/// it and from no other, a user's events keep their order under concurrent writers, the feed pages and resumes from
/// any <c>next</c>, and bad queries are refused. On a host of the class's own: the expiry test moves session time.
/// </summary>
public sealed class EventFeedTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    [Fact]
    public async Task Each_operation_makes_its_event_and_reads_and_refusals_make_none()
    {
        var api = new ApiClient(factory.CreateClient());
        var first = (await api.SignOnAsync()).Str("id");
        var second = (await api.SignOnAsync()).Str("id");
        var third = (await api.SignOnAsync()).Str("id");

        // Neither reads, nor activity, nor refused changes make events.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(api.Sessions)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"{api.Sessions}/{first}")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"{api.Sessions}/{first}/activity", new { ip = "198.51.100.1" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(api.Sessions, new { ip = "not an ip" })).Status);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{first}/sign-ons", new { ip = "198.51.100.2", authMethod = "mfa" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{first}/sign-out", null)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"{api.Sessions}/{first}/revoke", new { reason = "too late" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{second}/revoke", new { reason = "lost phone" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/revoke", new { reason = "all" })).Status);

        var events = await AllEventsAsync(api.Tenant, api.UserId);
        Assert.Equal(
            [("session.created", first), ("session.created", second), ("session.created", third), ("session.reauthenticated", first),
             ("session.ended", first), ("session.revoked", second), ("session.revoked", third)],
            events.Select(e => (e.Str("type"), e.Str("sessionId"))));

        var revoked = events[5];
        Assert.Equal(api.Tenant, revoked.Str("tenant"));
        Assert.Equal(api.UserId, revoked.Str("userId"));
        Assert.Equal(26, revoked.Str("id").Length); // A ULID.
        var data = revoked.GetProperty("data");
        Assert.Equal("revoked", data.Str("status"));
        Assert.Equal("lost phone", data.GetProperty("end").Str("reason"));
        Assert.Equal("bootstrap", data.GetProperty("end").Str("by"));
        Assert.Equal("mfa", events[3].GetProperty("data").GetProperty("lastSignOn").Str("method"));
        Assert.Equal(events.Count, events.Select(e => e.Str("id")).Distinct().Count());
    }

    [Fact]
    public async Task A_full_ring_evicts_its_oldest_active_session_with_an_event()
    {
        var api = new ApiClient(factory.CreateClient());
        var ids = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            ids.Add((await api.SignOnAsync()).Str("id"));
        }

        var events = await AllEventsAsync(api.Tenant, api.UserId);
        var evicted = Assert.Single(events, e => e.Str("type") == "session.evicted");
        Assert.Equal(ids[0], evicted.Str("sessionId"));
        Assert.Equal("evicted", evicted.GetProperty("data").Str("status"));
        Assert.Equal("ring-full", evicted.GetProperty("data").GetProperty("end").Str("reason"));
        // The eviction is stored with the sign-on that made room: it comes right before that session's creation.
        var at = events.FindIndex(e => e.Str("type") == "session.evicted");
        Assert.Equal(("session.created", ids[10]), (events[at + 1].Str("type"), events[at + 1].Str("sessionId")));
    }

    [Fact]
    public async Task An_expiry_is_stored_with_its_event_once_the_directory_notices_it()
    {
        var api = new ApiClient(factory.CreateClient());
        var session = (await api.SignOnAsync(ApiClient.SignOnBody(idleTimeout: 60))).Str("id");
        var directory = $"/v1/tenants/{api.Tenant}/sessions";
        await WaitForAsync("the session in the directory", async () =>
            (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10));

        factory.Clock.Advance(TimeSpan.FromSeconds(90));
        // The directory's next look at its expiry queue (a query, or its timer) tells the user grain, which stores the expiry.
        Assert.Equal(0, (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength());
        List<JsonElement> events = [];
        await WaitForAsync("the session.expired event", async () =>
            (events = await AllEventsAsync(api.Tenant, api.UserId)).Any(e => e.Str("type") == "session.expired"), TimeSpan.FromSeconds(10));

        var expired = Assert.Single(events, e => e.Str("type") == "session.expired");
        Assert.Equal(session, expired.Str("sessionId"));
        Assert.Equal("expired", expired.GetProperty("data").Str("status"));
        Assert.Equal(expired.GetProperty("data").GetProperty("endedAt").GetDateTimeOffset(), expired.GetProperty("occurredAt").GetDateTimeOffset());

        // Stored once: a later change of the user adds no second expiry.
        await api.SignOnAsync();
        Assert.Single(await AllEventsAsync(api.Tenant, api.UserId), e => e.Str("type") == "session.expired");
    }

    [Fact]
    public async Task A_users_events_keep_their_order_under_32_concurrent_writers()
    {
        var tenant = "order-" + Guid.NewGuid().ToString("N")[..8];
        string[] users = ["u0", "u1", "u2", "u3"];
        var acknowledged = new ConcurrentQueue<(string User, string Session)>();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async writer =>
        {
            var user = users[writer % users.Length];
            var client = factory.CreateClient();
            for (var i = 0; i < 3; i++)
            {
                using var signOn = await client.PostAsync(
                    $"/v1/tenants/{tenant}/users/{user}/sessions", System.Net.Http.Json.JsonContent.Create(ApiClient.SignOnBody()), TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.Created, signOn.StatusCode);
                var id = JsonDocument.Parse(await signOn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("session").Str("id");
                acknowledged.Enqueue((user, id));
                using var revoke = await client.PostAsync(
                    $"/v1/tenants/{tenant}/users/{user}/sessions/{id}/revoke", System.Net.Http.Json.JsonContent.Create(new { reason = "order" }), TestContext.Current.CancellationToken);
                Assert.True(revoke.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{revoke.StatusCode}");
            }
        }));

        var all = await AllEventsAsync(tenant, null, limit: 7);
        foreach (var user in users)
        {
            var mine = all.Where(e => e.Str("userId") == user).ToList();
            // A user's sessions are created in id order (ids grow with each sign-on), and each ends after it began.
            var created = mine.Where(e => e.Str("type") == "session.created").Select(e => e.Str("sessionId")).ToList();
            Assert.Equal(created.Order(StringComparer.Ordinal), created);
            Assert.Equal(acknowledged.Where(a => a.User == user).Select(a => a.Session).Order(StringComparer.Ordinal), created);
            foreach (var ending in mine.Where(e => e.Str("type") != "session.created"))
            {
                var ended = mine.FindIndex(e => e.Str("id") == ending.Str("id"));
                var began = mine.FindIndex(e => e.Str("type") == "session.created" && e.Str("sessionId") == ending.Str("sessionId"));
                Assert.True(began >= 0 && began < ended, $"{ending.Str("type")} of {ending.Str("sessionId")} before its creation");
            }
        }
    }

    [Fact]
    public async Task The_feed_pages_resumes_from_next_filters_and_refuses_bad_queries()
    {
        var api = new ApiClient(factory.CreateClient());
        for (var i = 0; i < 5; i++)
        {
            await api.SignOnAsync();
        }

        var feed = $"/v1/tenants/{api.Tenant}/events";
        var (status, page) = await api.GetAsync($"{feed}?limit=2");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        var (_, rest) = await api.GetAsync($"{feed}?after={page.Str("next")}");
        Assert.Equal(3, rest.GetProperty("items").GetArrayLength());
        var (_, none) = await api.GetAsync($"{feed}?after={rest.Str("next")}");
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
        Assert.Equal(rest.Str("next"), none.Str("next")); // Polling from the end stays at the end.

        await api.SignOnAsync();
        var (_, later) = await api.GetAsync($"{feed}?after={none.Str("next")}");
        Assert.Single(later.GetProperty("items").EnumerateArray());

        Assert.Equal(6, (await api.GetAsync($"{feed}?type=session.created")).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await api.GetAsync($"{feed}?type=session.revoked")).Body.GetProperty("items").GetArrayLength());
        Assert.Equal(0, (await api.GetAsync($"{feed}?userId=someone-else")).Body.GetProperty("items").GetArrayLength());

        foreach (var bad in new[] { "limit=0", "limit=1001", "limit=x", "type=session.deleted", "after=not-a-cursor", "userId=%20", "after=ZTF8MXwy" + "x" })
        {
            var (refused, problem) = await api.GetAsync($"{feed}?{bad}");
            Assert.True(refused == HttpStatusCode.BadRequest, $"{bad}: {refused}");
            JsonAssert.IsProblem(problem, "validation");
        }
    }

    /// <summary>Every event of the tenant (of one user when given), read page by page.</summary>
    private async Task<List<JsonElement>> AllEventsAsync(string tenant, string? userId, int limit = 1000) =>
        (await EventFeedReader.ReadAllAsync(factory.CreateClient(), tenant, limit: limit, query: userId is null ? null : $"userId={userId}")).Events;
}
