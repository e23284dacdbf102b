using System.Net;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Webhooks;

/// <summary>A host whose webhooks may reach the tests' own receivers (loopback), retrying quickly, with its own session clock.</summary>
public class WebhookApiFactory : OwnClockApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sessions:Webhooks:AllowPrivateNetworks"] = "true",
        ["Sessions:Webhooks:FirstRetryDelay"] = FirstRetryDelay,
        ["Sessions:Webhooks:MaxRetryDelay"] = MaxRetryDelay,
        ["Sessions:Webhooks:RetryFor"] = RetryFor,
        ["Sessions:Webhooks:Timeout"] = "00:00:02",
    };

    protected virtual string FirstRetryDelay => "00:00:00.050";

    protected virtual string MaxRetryDelay => "00:00:00.200";

    /// <summary>Long enough that a receiver failing for a while is never dead-lettered, however slow the machine.</summary>
    protected virtual string RetryFor => "00:01:00";
}

/// <summary>Gives up on a failing event after 3 s.</summary>
public sealed class DeadLetterWebhookApiFactory : WebhookApiFactory
{
    protected override string RetryFor => "00:00:03";
}

/// <summary>Retries a failed event after 30 s at the earliest: long enough to tell one user's wait from the endpoint's.</summary>
public sealed class SlowRetryWebhookApiFactory : WebhookApiFactory
{
    protected override string FirstRetryDelay => "00:01:00";

    protected override string MaxRetryDelay => "00:01:00";
}

/// <summary>
/// Webhooks (docs/webhooks.md), received by tests/clients/webhook-receiver.mjs, which verifies every signature with the
/// Standard Webhooks reference implementation: registration and its rules, delivery of the types an endpoint asked for,
/// order and completeness through a receiver that fails for a while, dead letters, and refusal of private networks.
/// </summary>
public sealed class WebhookTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>
{
    [Fact]
    public async Task An_endpoint_is_registered_with_a_secret_shown_once_changed_listed_and_deleted()
    {
        var api = new ApiClient(factory.CreateClient());
        var hooks = $"/v1/tenants/{api.Tenant}/webhooks";
        var (created, endpoint) = await api.PostAsync(hooks, new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "session.revoked" }, description = "siem" });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.StartsWith("whsec_", endpoint.Str("secret"), StringComparison.Ordinal);
        Assert.Equal(["session.revoked"], endpoint.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        var id = endpoint.Str("id");

        var (_, listed) = await api.GetAsync(hooks);
        var only = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(id, only.Str("id"));
        Assert.Equal(JsonValueKind.Null, only.GetProperty("secret").ValueKind);

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"{hooks}/{id}") { Content = System.Net.Http.Json.JsonContent.Create(new { enabled = false, eventTypes = Array.Empty<string>() }) };
        var (patched, changed) = await api.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.False(changed.GetProperty("enabled").GetBoolean());
        Assert.Empty(changed.GetProperty("eventTypes").EnumerateArray());
        Assert.Equal("siem", changed.Str("description"));

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{hooks}/{id}"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"{hooks}/{id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{hooks}/{id}"))).Status);

        foreach (var bad in new object[]
        {
            new { },
            new { url = "not a url" },
            new { url = "ftp://127.0.0.1/hooks" },
            new { url = "http://user:pass@127.0.0.1/hooks" },
            new { url = "http://127.0.0.1/hooks", eventTypes = new[] { "session.deleted" } },
        })
        {
            var (refused, problem) = await api.PostAsync(hooks, bad);
            Assert.True(refused == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(bad)}: {refused}");
            JsonAssert.IsProblem(problem, "validation");
        }

        Assert.Empty((await api.GetAsync(hooks)).Body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_endpoint_receives_signed_events_of_the_types_it_asked_for()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new ApiClient(factory.CreateClient());
        var (_, endpoint) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks", new { url = receiver.Url, eventTypes = new[] { "session.revoked" } });
        receiver.Secret = endpoint.Str("secret");

        var session = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{session}/revoke", new { reason = "device reported lost" })).Status);

        await WaitForAsync("the signed session.revoked at the receiver", () => receiver.Received.Count >= 1, TimeSpan.FromSeconds(20));
        var received = Assert.Single(receiver.Received);
        var sent = received.GetProperty("event");
        Assert.Equal("session.revoked", sent.Str("type"));
        Assert.Equal(session, sent.Str("sessionId"));
        Assert.Equal(sent.Str("id"), received.Str("id")); // webhook-id is the event's id: receivers deduplicate on it.
        Assert.Equal("device reported lost", sent.GetProperty("data").GetProperty("end").Str("reason"));
        Assert.DoesNotContain(receiver.Lines, l => l.Str("kind") == "invalid");

        var (_, log) = await api.GetAsync($"/v1/tenants/{api.Tenant}/webhooks/{endpoint.Str("id")}/deliveries");
        var attempt = Assert.Single(log.GetProperty("items").EnumerateArray());
        Assert.Equal(("delivered", 204), (attempt.Str("outcome"), attempt.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task A_rotated_secret_signs_at_once_and_the_old_one_beside_it_until_its_overlap_ends()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new ApiClient(factory.CreateClient());
        var (_, endpoint) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks", new { url = receiver.Url });
        var hook = $"/v1/tenants/{api.Tenant}/webhooks/{endpoint.Str("id")}";
        var old = endpoint.Str("secret");

        var (rotatedStatus, rotated) = await api.PostAsync($"{hook}/rotate-secret", new { overlapSeconds = 3600 });
        Assert.Equal(HttpStatusCode.OK, rotatedStatus);
        var fresh = rotated.Str("secret");
        Assert.StartsWith("whsec_", fresh, StringComparison.Ordinal);
        Assert.NotEqual(old, fresh);

        // During the overlap a receiver still on the old secret verifies, and one on the new secret too.
        receiver.Secret = old;
        await api.SignOnAsync();
        await WaitForAsync("a delivery verified with the old secret", () => receiver.Received.Count == 1, TimeSpan.FromSeconds(20));
        receiver.Secret = fresh;
        await api.SignOnAsync();
        await WaitForAsync("a delivery verified with the new secret", () => receiver.Received.Count == 2, TimeSpan.FromSeconds(20));

        // Rotated again without overlap: only the newest secret signs, so the one before no longer verifies.
        var (_, again) = await api.PostAsync($"{hook}/rotate-secret", new { overlapSeconds = 0 });
        receiver.Secret = again.Str("secret");
        await api.SignOnAsync();
        await WaitForAsync("a delivery verified with the newest secret", () => receiver.Received.Count == 3, TimeSpan.FromSeconds(20));
        receiver.Secret = fresh;
        await api.SignOnAsync();
        await WaitForAsync("a delivery refused with a replaced secret", () => receiver.Lines.Any(l => l.Str("kind") == "invalid"), TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"{hook}/rotate-secret", new { overlapSeconds = -1 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks/ep_none/rotate-secret", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{hook}/rotate-secret", null)).Status); // No body: a day of overlap.
        Assert.Equal(JsonValueKind.Null, (await api.GetAsync(hook)).Body.GetProperty("secret").ValueKind);
    }

    [Fact]
    public async Task One_event_or_a_time_range_is_delivered_again_on_request()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new ApiClient(factory.CreateClient());
        var (_, endpoint) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks", new { url = receiver.Url, eventTypes = new[] { "session.created" } });
        receiver.Secret = endpoint.Str("secret");
        var hook = $"/v1/tenants/{api.Tenant}/webhooks/{endpoint.Str("id")}";
        var first = (await api.SignOnAsync()).Str("id");
        var second = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{second}/revoke", new { reason = "not wanted by this endpoint" })).Status);
        await WaitForAsync("both creations delivered", () => receiver.Received.Count == 2, TimeSpan.FromSeconds(20));
        var firstEventId = receiver.Received[0].Str("id");
        var at = receiver.Received[0].GetProperty("event").GetProperty("occurredAt").GetDateTimeOffset(); // Session time.
        var from = at.AddMinutes(-1);

        var (one, queued) = await api.PostAsync($"{hook}/redeliver", new { eventId = firstEventId });
        Assert.Equal((HttpStatusCode.Accepted, 1), (one, queued.GetProperty("queued").GetInt32()));
        await WaitForAsync("the one event again", () => receiver.Received.Count == 3, TimeSpan.FromSeconds(20));
        Assert.Equal((firstEventId, first), (receiver.Received[2].Str("id"), receiver.Received[2].GetProperty("event").Str("sessionId")));

        // The session events of the range that this endpoint wants: both creations, not the revoke.
        var (range, rangeQueued) = await api.PostAsync($"{hook}/redeliver", new { from, until = at.AddMinutes(1) });
        Assert.Equal((HttpStatusCode.Accepted, 2), (range, rangeQueued.GetProperty("queued").GetInt32()));
        await WaitForAsync("the range again", () => receiver.Received.Count == 5, TimeSpan.FromSeconds(20));
        Assert.Equal([first, second], receiver.Received.Skip(3).Select(r => r.GetProperty("event").Str("sessionId")));

        foreach (var bad in new object[] { new { }, new { eventId = firstEventId, from }, new { from, until = from }, new { eventId = " " } })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"{hook}/redeliver", bad)).Status);
        }

        Assert.Equal(0, (await api.PostAsync($"{hook}/redeliver", new { eventId = "01ARZ3NDEKTSV4RRFFQ69G5FAV" })).Body.GetProperty("queued").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks/ep_none/redeliver", new { eventId = firstEventId })).Status);
    }

    [Fact]
    public async Task A_receiver_that_fails_for_a_while_then_gets_everything_in_order_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failing: true);
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await WebhookSetup.SubscribeAsync(api, receiver);

        var expected = new List<(string Type, string Session)>();
        for (var i = 0; i < 4; i++)
        {
            var session = (await api.SignOnAsync()).Str("id");
            expected.Add(("session.created", session));
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{session}/revoke", new { reason = "order" })).Status);
            expected.Add(("session.revoked", session));
        }

        await WaitForAsync("the receiver to refuse a few times", () => receiver.Lines.Count(l => l.Str("kind") == "refused") >= 3, TimeSpan.FromSeconds(20));
        Assert.Empty(receiver.Received);
        receiver.Failing = false;

        await WaitForAsync("every event at the recovered receiver", () => receiver.Received.Count >= expected.Count, TimeSpan.FromSeconds(20));
        var received = receiver.Received.Select(r => r.GetProperty("event")).ToList();
        Assert.Equal(expected, received.Select(e => (e.Str("type"), e.Str("sessionId"))));
        Assert.Equal(received.Count, received.Select(e => e.Str("id")).Distinct().Count());
    }

    [Fact]
    public async Task Different_users_are_delivered_side_by_side_and_each_users_events_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync(delayMs: 40);
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await WebhookSetup.SubscribeAsync(api, receiver);

        // Twelve users at once, each signing on, being revoked and signing on again.
        var users = Enumerable.Range(0, 12).Select(i => $"side-{i}").ToList();
        var expected = await Task.WhenAll(users.Select(async user =>
        {
            var sessions = $"/v1/tenants/{api.Tenant}/users/{user}/sessions";
            var first = (await api.PostAsync(sessions, ApiClient.SignOnBody())).Body.GetProperty("session").Str("id");
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{sessions}/{first}/revoke", new { reason = "side by side" })).Status);
            var second = (await api.PostAsync(sessions, ApiClient.SignOnBody())).Body.GetProperty("session").Str("id");
            return (User: user, Events: new[] { ("session.created", first), ("session.revoked", first), ("session.created", second) });
        }));

        await WaitForAsync("every user's events at the receiver", () => receiver.Received.Count >= 36, TimeSpan.FromSeconds(30));
        var received = receiver.Received;
        Assert.Equal(36, received.Select(r => r.Str("id")).Distinct().Count());
        foreach (var (user, events) in expected)
        {
            var own = received.Select(r => r.GetProperty("event")).Where(e => e.Str("userId") == user);
            Assert.Equal(events, own.Select(e => (e.Str("type"), e.Str("sessionId"))));
        }

        var overlap = received.Max(r => r.GetProperty("inFlight").GetInt32());
        Assert.True(overlap is > 1 and <= 16, $"at most Concurrency (16) deliveries overlap, and some do: {overlap}");
    }

    [Fact]
    public async Task A_user_whose_deliveries_fail_holds_only_that_users_later_events()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await WebhookSetup.SubscribeAsync(api, receiver);
        receiver.FailingUser = api.UserId;

        var held = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{held}/revoke", new { reason = "held" })).Status);
        var other = $"/v1/tenants/{api.Tenant}/users/other/sessions";
        var passing = (await api.PostAsync(other, ApiClient.SignOnBody())).Body.GetProperty("session").Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{other}/{passing}/sign-out", null)).Status);

        await WaitForAsync("the other user's events past the held one", () => receiver.Received.Count >= 2, TimeSpan.FromSeconds(20));
        Assert.Equal([("session.created", passing), ("session.ended", passing)], receiver.Received.Select(r => (r.GetProperty("event").Str("type"), r.GetProperty("event").Str("sessionId"))));
        Assert.Contains(receiver.Lines, l => l.Str("kind") == "refused");

        receiver.FailingUser = null;
        await WaitForAsync("the held user's events once accepted", () => receiver.Received.Count >= 4, TimeSpan.FromSeconds(20));
        var heldEvents = receiver.Received.Select(r => r.GetProperty("event")).Where(e => e.Str("userId") == api.UserId);
        Assert.Equal([("session.created", held), ("session.revoked", held)], heldEvents.Select(e => (e.Str("type"), e.Str("sessionId"))));
        Assert.Equal(4, receiver.Received.Select(r => r.Str("id")).Distinct().Count());
        Assert.Equal(4, receiver.Received.Count);
    }
}

/// <summary>Dead letters: an event failing for the whole retry window (3 s here).</summary>
public sealed class WebhookDeadLetterTests(DeadLetterWebhookApiFactory factory) : IClassFixture<DeadLetterWebhookApiFactory>
{
    [Fact]
    public async Task A_dead_endpoint_is_dead_lettered_and_marked_failing_until_a_delivery_succeeds()
    {
        var api = new ApiClient(factory.CreateClient());
        var closed = $"http://127.0.0.1:{Orleans.Sessions.Testing.FreePorts.Next()}/hooks";
        var (_, endpoint) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks", new { url = closed });
        var hook = $"/v1/tenants/{api.Tenant}/webhooks/{endpoint.Str("id")}";
        var lost = (await api.SignOnAsync()).Str("id");

        await WaitForAsync("the endpoint marked failing", async () => (await api.GetAsync(hook)).Body.GetProperty("failing").GetBoolean(), TimeSpan.FromSeconds(20));
        var (_, log) = await api.GetAsync($"{hook}/deliveries");
        var attempts = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("dead-lettered", attempts[0].Str("outcome"));
        Assert.True(attempts.Count > 1 && attempts.Skip(1).All(a => a.Str("outcome") == "retrying"), log.ToString());
        Assert.Contains("HttpRequestException", attempts[0].Str("error"), StringComparison.Ordinal);

        // Pointed at a receiver, the endpoint gets what comes next and is no longer failing.
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Secret = endpoint.Str("secret");
        using var patch = new HttpRequestMessage(HttpMethod.Patch, hook) { Content = System.Net.Http.Json.JsonContent.Create(new { url = receiver.Url }) };
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(patch)).Status);
        var next = (await api.SignOnAsync()).Str("id");
        await WaitForAsync("the next event at the receiver", () => receiver.Received.Count >= 1, TimeSpan.FromSeconds(20));
        Assert.Equal(next, receiver.Received[0].GetProperty("event").Str("sessionId"));
        Assert.DoesNotContain(receiver.Received, r => r.GetProperty("event").Str("sessionId") == lost);
        await WaitForAsync("the endpoint no longer failing", async () => !(await api.GetAsync(hook)).Body.GetProperty("failing").GetBoolean(), TimeSpan.FromSeconds(10));
    }
}

/// <summary>One user's refused event waits for its own retry (a minute here); another user's next event does not.</summary>
public sealed class WebhookIsolationTests(SlowRetryWebhookApiFactory factory) : IClassFixture<SlowRetryWebhookApiFactory>
{
    [Fact]
    public async Task One_users_refused_event_does_not_hold_another_users_next_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await WebhookSetup.SubscribeAsync(api, receiver);
        receiver.FailingUser = api.UserId;

        var held = (await api.SignOnAsync()).Str("id");
        await WaitForAsync("the held user's event refused", () => receiver.Lines.Any(l => l.Str("kind") == "refused"), TimeSpan.FromSeconds(10));

        // After the refusal: the endpoint answered (500), so only that user waits for the retry a minute away.
        var other = $"/v1/tenants/{api.Tenant}/users/other/sessions";
        var passing = (await api.PostAsync(other, ApiClient.SignOnBody())).Body.GetProperty("session").Str("id");
        await WaitForAsync("the other user's event within a few polls", () => receiver.Received.Count >= 1, TimeSpan.FromSeconds(5));
        Assert.Equal(passing, receiver.Received[0].GetProperty("event").Str("sessionId"));
        Assert.Single(receiver.Lines, l => l.Str("kind") == "refused");
        Assert.DoesNotContain(receiver.Received, r => r.GetProperty("event").Str("sessionId") == held);
    }

    [Fact]
    public async Task A_refused_redelivery_waits_for_its_backoff()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await WebhookSetup.SubscribeAsync(api, receiver);
        await api.SignOnAsync();
        await WaitForAsync("the sign-on's event delivered", () => receiver.Received.Count == 1, TimeSpan.FromSeconds(10));

        receiver.FailingUser = api.UserId;
        var eventId = receiver.Received[0].GetProperty("event").Str("id");
        var (status, queued) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks/{endpoint.Str("id")}/redeliver", new { eventId });
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, queued.GetProperty("queued").GetInt32());
        await WaitForAsync("the redelivery refused", () => receiver.Lines.Any(l => l.Str("kind") == "refused"), TimeSpan.FromSeconds(10));

        // The next try is half a minute away at the earliest. Meanwhile a second endpoint receives five sign-ons one
        // after another — at least five polls — and a redelivery retried on every poll would have been refused again.
        await using var witness = await WebhookReceiver.StartAsync();
        await WebhookSetup.SubscribeAsync(api, witness);
        var next = $"/v1/tenants/{api.Tenant}/users/next/sessions";
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync(next, ApiClient.SignOnBody())).Status);
            await WaitForAsync($"sign-on {i} at the second endpoint", () => witness.Received.Count == i, TimeSpan.FromSeconds(10));
        }

        Assert.Single(receiver.Lines, l => l.Str("kind") == "refused");
        Assert.Single(receiver.Received); // Redeliveries go first: the new events wait behind the refused one.
    }
}

/// <summary>The default: webhooks may not point at the service's own networks.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookPrivateNetworkTests(SessionsApiFactory factory)
{
    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks")]
    [InlineData("http://localhost/hooks")]
    [InlineData("http://10.0.0.5/hooks")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::1]/hooks")]
    [InlineData("https://192.168.1.1/hooks")]
    public async Task A_private_network_url_is_refused(string url)
    {
        var api = new ApiClient(factory.CreateClient());
        var (status, problem) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks", new { url });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.HasErrorFor(problem, "url");
        Assert.Empty((await api.GetAsync($"/v1/tenants/{api.Tenant}/webhooks")).Body.GetProperty("items").EnumerateArray());
    }
}

/// <summary>An endpoint of the API client's tenant for every event type, pointed at the receiver, which verifies with its secret.</summary>
internal static class WebhookSetup
{
    public static async Task<JsonElement> SubscribeAsync(ApiClient api, WebhookReceiver receiver)
    {
        var (status, endpoint) = await api.PostAsync($"/v1/tenants/{api.Tenant}/webhooks", new { url = receiver.Url });
        Assert.Equal(HttpStatusCode.Created, status);
        receiver.Secret = endpoint.Str("secret");
        return endpoint;
    }
}
