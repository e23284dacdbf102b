using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// Three silo processes and a standalone gateway process on PostgreSQL, with the settings of
/// silo-config/appsettings.Cluster.json: every entry point serves, a SIGKILL of one silo under load loses no
/// acknowledged sign-on or revoke nor its event — in the feed and at a webhook receiver (which verifies each signature
/// with the Standard Webhooks reference implementation) nor a revoke's back-channel logout token and CAEP SET (verified
/// with jose, pushed and polled) —
/// service comes back, the dead silo is marked dead, and a restarted silo rejoins.
/// </summary>
public sealed class ClusterFailoverTests : HostsOnDatabaseTest
{
    private const int SiloStatusActive = 3;
    private const int SiloStatusDead = 6;

    private readonly string _clusterId = "failover-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Killing_a_silo_under_load_loses_no_acknowledged_sign_on_and_a_restarted_silo_rejoins()
    {
        var ct = TestContext.Current.CancellationToken;
        var silos = new List<HostProcess>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(await StartSiloAsync(ct));
        }

        var gateway = await StartAsync(HostProcess.StartGatewayAsync(Settings(), "Cluster", ct));
        await using var receiver = await WebhookReceiver.StartAsync();
        TokenReceiver logouts;
        string pollUrl;
        using (var admin = gateway.CreateClient())
        {
            using var registered = await admin.PostAsJsonAsync("/v1/tenants/cluster/webhooks", new { url = receiver.Url, eventTypes = new[] { "session.created", "session.revoked" } }, ct);
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            receiver.Secret = (await registered.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("secret").GetString()!;

            // And a relying party for back-channel logout, the client every sign-on of the load names: its tokens are
            // verified with jose against the JWKS it fetches through the gateway.
            var keys = await admin.GetFromJsonAsync<JsonElement>("/v1/tenants/cluster/keys", ct);
            logouts = await TokenReceiver.StartAsync(keys.GetProperty("jwksUri").GetString()!, keys.GetProperty("issuer").GetString()!);
            using var client = await admin.PostAsJsonAsync("/v1/tenants/cluster/clients", new { clientId = "portal", backchannelLogoutUri = logouts.BackchannelUrl("portal") }, ct);
            Assert.Equal(HttpStatusCode.Created, client.StatusCode);

            // And a Shared Signals push stream for session-revoked SETs, at the same receiver (the bootstrap key is its audience).
            using var stream = await admin.PostAsJsonAsync("/v1/tenants/cluster/ssf/streams", new
            {
                delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = logouts.SsfUrl("bootstrap") },
                events_requested = new[] { "https://schemas.openid.net/secevent/caep/event-type/session-revoked" },
            }, ct);
            Assert.Equal(HttpStatusCode.Created, stream.StatusCode);

            // And a poll stream, polled through the gateway by a receiver that acknowledges what it got in its next poll.
            using var polled = await admin.PostAsJsonAsync("/v1/tenants/cluster/ssf/streams", new
            {
                delivery = new { method = "urn:ietf:rfc:8936" },
                events_requested = new[] { "https://schemas.openid.net/secevent/caep/event-type/session-revoked" },
            }, ct);
            Assert.Equal(HttpStatusCode.Created, polled.StatusCode);
            pollUrl = (await polled.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("delivery").GetProperty("endpoint_url").GetString()!;
        }

        await using var logoutReceiver = logouts;
        using var pollClient = gateway.CreateClient(TimeSpan.FromSeconds(30));
        await using var poller = SsfPoller.Start(pollClient, pollUrl);

        await WaitAsync("three active silos in the membership table", async () =>
            await Database.ScalarAsync<long>("SELECT count(*) FROM orleans_membership WHERE deploymentid = $1 AND status = $2", _clusterId, SiloStatusActive) == 3);

        // Every entry point serves, and what one writes the others read.
        HostProcess[] entryPoints = [.. silos, gateway];
        foreach (var writer in entryPoints)
        {
            var id = await SignOnAsync(writer, $"entry-{writer.Name}", ct);
            foreach (var reader in entryPoints)
            {
                Assert.Contains(id, await ListAsync(reader, $"entry-{writer.Name}", ct));
            }
        }

        // Load through every entry point; SIGKILL one silo while it runs.
        var victim = silos[1];
        var survivors = entryPoints.Where(h => h != victim).ToArray();
        var acknowledged = new ConcurrentBag<(string User, string SessionId)>();
        var revoked = new ConcurrentBag<string>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, 12).Select(worker => Task.Run(() => LoadAsync(worker, entryPoints, acknowledged, revoked, stopLoad.Token), CancellationToken.None)).ToArray();
        await WaitAsync("300 acknowledged sign-ons before the kill", () => Task.FromResult(acknowledged.Count >= 300));
        var beforeKill = acknowledged.Count;
        var killedAt = Stopwatch.StartNew();
        victim.Kill();
        await WaitAsync("100 more acknowledged sign-ons under load after the kill", () => Task.FromResult(acknowledged.Count >= beforeKill + 100));
        await stopLoad.CancelAsync();
        await Task.WhenAll(load);

        // New sign-ons succeed again through every survivor within 60 s of the kill.
        await WaitAsync("new sign-ons to succeed through every survivor", async () =>
        {
            foreach (var host in survivors)
            {
                for (var i = 0; i < 10; i++)
                {
                    if (await TrySignOnAsync(host, $"after-{Guid.NewGuid():N}", ct) is null)
                    {
                        return false;
                    }
                }
            }

            return true;
        });
        var recovery = killedAt.Elapsed;

        // Every acknowledged sign-on is readable through the survivors. A user whose grain was active on the killed silo
        // answers 503 (Retry-After) until the cluster has declared that silo dead, which may come after new users' sign-ons
        // work again: a read is retried then, a missing session is never.
        var missing = new List<string>();
        var users = acknowledged.GroupBy(a => a.User).ToList();
        await WaitAsync("every acknowledged user's list through the survivors", async () =>
        {
            missing.Clear();
            for (var u = 0; u < users.Count; u++)
            {
                if (await TryListAsync(survivors[u % survivors.Length], users[u].Key, ct) is not { } listed)
                {
                    return false;
                }

                missing.AddRange(users[u].Where(a => !listed.Contains(a.SessionId)).Select(a => $"{a.User}/{a.SessionId}"));
            }

            return true;
        });
        var readable = killedAt.Elapsed;

        Assert.True(missing.Count == 0, $"{missing.Count} of {acknowledged.Count} acknowledged sign-ons are missing after the kill: {string.Join(", ", missing.Take(5))}");

        // And every acknowledged change has its event in the feed (docs/events.md, "The outbox").
        using var feedClient = gateway.CreateClient();
        // Small pages: each read resumes from the previous one's position, as a consumer's would.
        var events = (await EventFeedReader.ReadAllAsync(feedClient, "cluster", limit: 37)).Events.Select(EventFeedReader.Key).ToHashSet();
        var lostCreated = acknowledged.Where(a => !events.Contains(("session.created", a.SessionId))).ToList();
        var lostRevoked = revoked.Where(id => !events.Contains(("session.revoked", id))).ToList();
        Assert.True(lostCreated.Count == 0 && lostRevoked.Count == 0,
            $"events missing after the kill: {lostCreated.Count} of {acknowledged.Count} session.created, {lostRevoked.Count} of {revoked.Count} session.revoked");
        Assert.NotEmpty(revoked);

        // The webhook's delivery may have run on the killed silo: another takes it up from its stored position.
        var missingAtReceiver = 0;
        try
        {
            await WaitAsync("every acknowledged sign-on and revoke at the webhook receiver", () =>
            {
                var delivered = receiver.Received.Select(r => (r.GetProperty("event").GetProperty("type").GetString()!, r.GetProperty("event").GetProperty("sessionId").GetString()!)).ToHashSet();
                missingAtReceiver = acknowledged.Count(a => !delivered.Contains(("session.created", a.SessionId))) + revoked.Count(id => !delivered.Contains(("session.revoked", id)));
                return Task.FromResult(missingAtReceiver == 0);
            });
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{missingAtReceiver} of {acknowledged.Count + revoked.Count} events missing at the receiver, which got {receiver.Received.Count}", timedOut);
        }
        Assert.DoesNotContain(receiver.Lines, l => l.GetProperty("kind").GetString() == "invalid");

        // Every acknowledged revoke brought the relying party its logout token, whichever silo delivered it.
        var missingLogouts = 0;
        try
        {
            await WaitAsync("a logout token for every acknowledged revoke", () =>
            {
                var sids = logouts.Logouts.Select(l => l.GetProperty("claims").GetProperty("sid").GetString()!).ToHashSet();
                missingLogouts = revoked.Count(id => !sids.Contains(id));
                return Task.FromResult(missingLogouts == 0);
            });
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{missingLogouts} of {revoked.Count} logout tokens missing at the relying party, which got {logouts.Logouts.Count}", timedOut);
        }

        // And its session-revoked SET to the Shared Signals stream.
        var missingSets = 0;
        try
        {
            await WaitAsync("a session-revoked SET for every acknowledged revoke", () =>
            {
                var revokedSessions = logouts.Sets.Select(s => s.GetProperty("claims").GetProperty("sub_id").GetProperty("session").GetProperty("id").GetString()!).ToHashSet();
                missingSets = revoked.Count(id => !revokedSessions.Contains(id));
                return Task.FromResult(missingSets == 0);
            });
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{missingSets} of {revoked.Count} SETs missing at the stream's receiver, which got {logouts.Sets.Count}", timedOut);
        }

        Assert.Empty(logouts.Invalid);

        // And polled from the poll stream, whichever silo held it when: every SET verified with jose, none answered
        // again after it was acknowledged.
        var missingPolled = 0;
        try
        {
            await WaitAsync("a polled session-revoked SET for every acknowledged revoke", () =>
            {
                var polledSessions = poller.Sets.Values.Select(UnverifiedJwt.SessionOf).ToHashSet();
                missingPolled = revoked.Count(id => !polledSessions.Contains(id));
                return Task.FromResult(missingPolled == 0);
            });
        }
        catch (TimeoutException timedOut)
        {
            throw new TimeoutException($"{missingPolled} of {revoked.Count} SETs missing at the poll receiver, which got {poller.Sets.Count} ({poller.Failures} failed polls, the last: {poller.LastFailure})", timedOut);
        }

        Assert.Empty(poller.Repeated);
        foreach (var token in poller.Sets.Values)
        {
            var (valid, answer) = await logouts.VerifyAsync(token, "bootstrap", "secevent+jwt");
            Assert.True(valid, answer.ToString());
        }

        await WaitAsync("the killed silo's membership row to be marked dead", async () =>
            await Database.ScalarAsync<int>(
                "SELECT status FROM orleans_membership WHERE deploymentid = $1 AND port = $2", _clusterId, victim.SiloPort) == SiloStatusDead);
        var declaredDead = killedAt.Elapsed;

        // A silo restarted on the same cluster rejoins and serves, old users included.
        var restarted = await StartSiloAsync(ct);
        await WaitAsync("the restarted silo to be active", async () =>
            await Database.ScalarAsync<int>(
                "SELECT status FROM orleans_membership WHERE deploymentid = $1 AND port = $2", _clusterId, restarted.SiloPort) == SiloStatusActive);
        var rejoinedId = await SignOnAsync(restarted, "after-rejoin", ct);
        Assert.Contains(rejoinedId, await ListAsync(gateway, "after-rejoin", ct));
        var oldUser = users[0];
        Assert.Superset(oldUser.Select(a => a.SessionId).ToHashSet(), (await ListAsync(restarted, oldUser.Key, ct)).ToHashSet());

        TestContext.Current.TestOutputHelper!.WriteLine($"acknowledged {acknowledged.Count} sign-ons before the kill; service back through every survivor {recovery.TotalSeconds:F1} s after it, "
            + $"every acknowledged user readable by {readable.TotalSeconds:F1} s; "
            + $"membership row seen dead by {declaredDead.TotalSeconds:F1} s; {poller.Sets.Count} SETs polled, {poller.Failures} polls failed");
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["ConnectionStrings:Postgres"] = Database.ConnectionString,
        ["Orleans:ClusterId"] = _clusterId,
        ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
        ["Sessions:Postgres:MaxPoolSize"] = "10",
        ["Sessions:Webhooks:AllowPrivateNetworks"] = "true", // The test's receiver is on loopback.
        ["Sessions:SharedSignals:ResendAfter"] = "00:00:03", // A polled SET whose answer died with its silo comes again soon.
        ["Sessions:SharedSignals:LongPollTimeout"] = "00:00:05",
    };

    private Task<HostProcess> StartSiloAsync(CancellationToken ct) => StartAsync(HostProcess.StartSiloAsync(Settings(), "Cluster", ct));

    private static async Task LoadAsync(
        int worker, HostProcess[] entryPoints, ConcurrentBag<(string, string)> acknowledged, ConcurrentBag<string> revoked, CancellationToken stop)
    {
        var clients = entryPoints.Select(h => h.CreateClient(TimeSpan.FromSeconds(10))).ToArray();
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                // At most 9 sign-ons per user: even with sign-ons that were stored but never acknowledged
                // (the silo died before answering), no user's ring of 10 evicts an acknowledged one.
                var user = $"load-{worker}-{i / 9}";
                var client = clients[i % clients.Length];
                try
                {
                    using var response = await client.PostAsJsonAsync($"/v1/tenants/cluster/users/{user}/sessions", SignOnBody, stop);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var body = await response.Content.ReadFromJsonAsync<JsonElement>(stop);
                        var sessionId = body.GetProperty("session").GetProperty("id").GetString()!;
                        acknowledged.Add((user, sessionId));
                        if (i % 3 == 2)
                        {
                            using var revoke = await client.PostAsJsonAsync($"/v1/tenants/cluster/users/{user}/sessions/{sessionId}/revoke", new { reason = "load" }, stop);
                            if (revoke.StatusCode == HttpStatusCode.OK)
                            {
                                revoked.Add(sessionId);
                            }
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
                {
                    // Not acknowledged: a silo went away under this request.
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static readonly object SignOnBody = new { ip = "203.0.113.50", userAgent = "cluster-test", authMethod = "password", clientId = "portal" };

    private static async Task<string?> TrySignOnAsync(HostProcess host, string user, CancellationToken ct)
    {
        using var client = host.CreateClient(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await client.PostAsJsonAsync($"/v1/tenants/cluster/users/{user}/sessions", SignOnBody, ct);
            return response.StatusCode == HttpStatusCode.Created
                ? (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("session").GetProperty("id").GetString()
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<string> SignOnAsync(HostProcess host, string user, CancellationToken ct) =>
        await TrySignOnAsync(host, user, ct) ?? throw new InvalidOperationException($"sign-on of {user} through {host.Name} failed:\n{host.Output}");

    /// <summary>The user's session ids, or null while the cluster answers 503 for them (or not at all).</summary>
    private static async Task<List<string>?> TryListAsync(HostProcess host, string user, CancellationToken ct)
    {
        using var client = host.CreateClient(TimeSpan.FromSeconds(10));
        try
        {
            using var response = await client.GetAsync($"/v1/tenants/cluster/users/{user}/sessions?limit=100", ct);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return null;
            }

            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            return [.. body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<List<string>> ListAsync(HostProcess host, string user, CancellationToken ct)
    {
        using var client = host.CreateClient();
        var body = await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/cluster/users/{user}/sessions?limit=100", ct);
        return [.. body.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];
    }

    /// <summary>Every step of this test gets a minute; a timeout shows what each host wrote.</summary>
    private Task WaitAsync(string step, Func<Task<bool>> condition) => HostProcess.WaitShowingOutputAsync(step, condition, TimeSpan.FromSeconds(60), Hosts);
}
