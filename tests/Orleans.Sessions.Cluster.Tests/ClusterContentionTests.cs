using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// Contention on three silo processes (PostgreSQL): many concurrent sign-ons, activities, sign-outs and revokes on one
/// user through every silo at once, and across 1,000 users. The ring keeps its invariants (capacity, newest first,
/// distinct ids, nothing that was not acknowledged, no ended session active again), the directory converges to the
/// users' own lists, and the events and the audit history match the acknowledged changes one to one.
/// </summary>
public sealed class ClusterContentionTests : HostsOnDatabaseTest
{
    private const string Tenant = "contention";
    private const int RingCapacity = 10; // Sessions:MaxSessionsPerUser's default.

    [Fact]
    public async Task Concurrent_changes_keep_the_ring_the_directory_and_the_events_true()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["Orleans:ClusterId"] = "contention-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["Sessions:Postgres:MaxPoolSize"] = "8",
        };
        for (var i = 0; i < 3; i++)
        {
            await StartAsync(HostProcess.StartSiloAsync(settings, "Cluster", ct));
        }

        var clients = Hosts.Select(s => s.CreateClient(TimeSpan.FromSeconds(30))).ToArray();
        var outcomes = new ConcurrentBag<(string Operation, HttpStatusCode Status)>();
        var signedOn = new ConcurrentBag<(string User, string SessionId)>();
        var ended = new ConcurrentBag<(string Type, string SessionId)>();
        var clock = Stopwatch.StartNew();

        // One user, 24 callers through the three silos at once: each signs on, records activity, and signs out or
        // revokes some of its own sessions, which other callers' sign-ons may have dropped from the ring meanwhile.
        await Task.WhenAll(Enumerable.Range(0, 24).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                var client = clients[(worker + i) % clients.Length];
                var id = await SignOnAsync(client, "hot", outcomes, signedOn);
                await SendAsync(client, $"/hot/sessions/{id}/activity", new { ip = "198.51.100.7" }, "activity", outcomes);
                if (i % 3 == 1 && await SendAsync(clients[(worker + i + 1) % clients.Length], $"/hot/sessions/{id}/sign-out", null, "sign-out", outcomes) == HttpStatusCode.OK)
                {
                    ended.Add(("session.ended", id));
                }
                else if (i % 3 == 2 && await SendAsync(clients[(worker + i + 2) % clients.Length], $"/hot/sessions/{id}/revoke", new { reason = "contention" }, "revoke", outcomes) == HttpStatusCode.OK)
                {
                    ended.Add(("session.revoked", id));
                }
            }
        }, ct)));
        var hotPhase = clock.Elapsed;

        // 1,000 users: two sign-ons each from different silos, then one of the two revoked through the third.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(worker => Task.Run(async () =>
        {
            for (var u = worker; u < 1000; u += 20)
            {
                var user = $"user-{u}";
                var first = await SignOnAsync(clients[u % 3], user, outcomes, signedOn);
                await SignOnAsync(clients[(u + 1) % 3], user, outcomes, signedOn);
                if (await SendAsync(clients[(u + 2) % 3], $"/{user}/sessions/{first}/revoke", new { reason = "contention" }, "revoke", outcomes) == HttpStatusCode.OK)
                {
                    ended.Add(("session.revoked", first));
                }
            }
        }, ct)));
        var usersPhase = clock.Elapsed - hotPhase;

        // Every answer is one the contract allows under contention: a session another caller's sign-on dropped is gone
        // (404) or no longer active (409); nothing else fails.
        Assert.All(outcomes, o => Assert.True(
            o.Status is HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NotFound or HttpStatusCode.Conflict,
            $"{o.Operation} answered {(int)o.Status}"));
        Assert.All(outcomes.Where(o => o.Operation == "sign-on"), o => Assert.Equal(HttpStatusCode.Created, o.Status));

        // The hot user's ring.
        var acknowledged = signedOn.Select(s => s.SessionId).ToHashSet();
        var endedIds = ended.Select(e => e.SessionId).ToHashSet();
        var ring = await ListAsync(clients[0], "hot");
        var ids = ring.Select(s => s.GetProperty("id").GetString()!).ToList();
        Assert.InRange(ids.Count, 1, RingCapacity);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), ids); // Newest first; ids are in creation order.
        Assert.All(ids, id => Assert.Contains(id, acknowledged));
        Assert.All(ring.Where(s => endedIds.Contains(s.GetProperty("id").GetString()!)), s => Assert.NotEqual("active", s.GetProperty("status").GetString()));

        // The directory converges to the users' own lists.
        var expected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in signedOn.Select(s => s.User).Distinct())
        {
            expected.UnionWith((await ListAsync(clients[1], user)).Where(s => s.GetProperty("status").GetString() == "active").Select(s => s.GetProperty("id").GetString()!));
        }

        Assert.Equal(1000 + ring.Count(s => s.GetProperty("status").GetString() == "active"), expected.Count);
        var converging = Stopwatch.StartNew();
        HashSet<string> indexed = [];
        await HostProcess.WaitShowingOutputAsync("the directory to hold exactly the users' active sessions", async () =>
        {
            indexed = await DirectoryAsync(clients[2]);
            return indexed.SetEquals(expected);
        }, TimeSpan.FromSeconds(60), Hosts);
        var converged = converging.Elapsed;

        // The events: one session.created per acknowledged sign-on, and one ending event per acknowledged ending.
        var events = (await EventFeedReader.ReadAllAsync(clients[0], Tenant)).Events;
        var created = events.Where(e => e.GetProperty("type").GetString() == "session.created").Select(e => e.GetProperty("sessionId").GetString()!).ToList();
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
        var endings = events.Select(EventFeedReader.Key).Where(k => k.Type is "session.ended" or "session.revoked").ToList();
        Assert.Equal(ended.Order(), endings.Intersect(ended).Order());
        Assert.Equal(endings.Count, endings.Distinct().Count());
        Assert.Equal(events.Count, events.Select(e => e.GetProperty("id").GetString()).Distinct().Count());

        // The audit history (entered by the database's trigger on the event log): one entry per ending event, the same id.
        var endingEvents = events.Where(e => e.GetProperty("type").GetString() is "session.ended" or "session.revoked" or "session.evicted" or "session.expired")
            .Select(e => e.GetProperty("id").GetString()!).Order(StringComparer.Ordinal).ToList();
        var audit = await AuditReader.ReadAllAsync(clients[1], Tenant);
        Assert.Equal(endingEvents, audit.Select(e => e.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(
            ended.Select(e => (e.Type == "session.ended" ? "sign-out" : "revoke", e.SessionId)).Order(),
            audit.Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("sessionId").GetString()!)).Where(e => e.Item1 is "sign-out" or "revoke").Order());

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"{outcomes.Count} requests: hot user {hotPhase.TotalSeconds:F1} s, 1,000 users {usersPhase.TotalSeconds:F1} s; "
            + $"{outcomes.Count(o => o.Status is HttpStatusCode.NotFound or HttpStatusCode.Conflict)} answered 404/409 (sessions other callers dropped); "
            + $"the hot user holds {ids.Count}; directory equal to the users' {expected.Count} active sessions {converged.TotalSeconds:F2} s after the load; "
            + $"{events.Count} events, {audit.Count} audit entries");
    }

    private static async Task<string> SignOnAsync(HttpClient client, string user, ConcurrentBag<(string, HttpStatusCode)> outcomes, ConcurrentBag<(string, string)> signedOn)
    {
        using var response = await client.PostAsJsonAsync(
            $"/v1/tenants/{Tenant}/users/{user}/sessions", new { ip = "203.0.113.70", userAgent = "contention-test", authMethod = "password" });
        outcomes.Add(("sign-on", response.StatusCode));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"sign-on of {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetProperty("id").GetString()!;
        signedOn.Add((user, id));
        return id;
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string userPath, object? body, string operation, ConcurrentBag<(string, HttpStatusCode)> outcomes)
    {
        using var response = await client.PostAsJsonAsync($"/v1/tenants/{Tenant}/users{userPath}", body);
        outcomes.Add((operation, response.StatusCode));
        return response.StatusCode;
    }

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string user)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/{Tenant}/users/{user}/sessions?limit=100", TestContext.Current.CancellationToken);
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private static async Task<HashSet<string>> DirectoryAsync(HttpClient client)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonElement>(
                $"/v1/tenants/{Tenant}/sessions?limit=500" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), TestContext.Current.CancellationToken);
            ids.UnionWith(page.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return ids;
    }
}
