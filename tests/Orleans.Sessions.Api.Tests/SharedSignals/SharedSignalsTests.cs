using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Api.Tests.Webhooks;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.SharedSignals;

/// <summary>
/// The Shared Signals transmitter (docs/shared-signals.md): its metadata, the stream management API, and push delivery
/// of CAEP session-established and session-revoked SETs — each verified by tests/clients/token-receiver.mjs with the
/// <c>jose</c> package against the JWKS it fetches over HTTP, and held to the SSF profile of RFC 8417 (typ, one event,
/// sub_id, no sub, no exp).
/// </summary>
public sealed class SharedSignalsTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>
{
    private const string Established = "https://schemas.openid.net/secevent/caep/event-type/session-established";
    private const string Revoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    private const string RiskLevelChange = "https://schemas.openid.net/secevent/caep/event-type/risk-level-change";
    private const string Verification = "https://schemas.openid.net/secevent/ssf/event-type/verification";
    private const string Audience = "bootstrap"; // The streams' receiver: the name of the key that makes them.

    [Fact]
    public async Task The_metadata_is_public_at_the_issuers_well_known_address_and_names_every_endpoint()
    {
        var api = new ApiClient(factory.CreateClient());
        var issuer = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body.Str("issuer");
        var anonymous = factory.CreateAnonymousClient();
        var ct = TestContext.Current.CancellationToken;
        var metadata = await anonymous.GetFromJsonAsync<JsonElement>($"/.well-known/ssf-configuration/v1/tenants/{api.Tenant}", ct);
        Assert.Equal(metadata.GetRawText(), (await anonymous.GetFromJsonAsync<JsonElement>($"/v1/tenants/{api.Tenant}/.well-known/ssf-configuration", ct)).GetRawText());

        Assert.Equal(("1_0", issuer, issuer + "/.well-known/jwks.json"), (metadata.Str("spec_version"), metadata.Str("issuer"), metadata.Str("jwks_uri")));
        Assert.Equal(["urn:ietf:rfc:8935", "urn:ietf:rfc:8936"], metadata.GetProperty("delivery_methods_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(issuer + "/ssf/streams", metadata.Str("configuration_endpoint"));
        Assert.Equal(issuer + "/ssf/status", metadata.Str("status_endpoint"));
        Assert.Equal(issuer + "/ssf/subjects/add", metadata.Str("add_subject_endpoint"));
        Assert.Equal(issuer + "/ssf/subjects/remove", metadata.Str("remove_subject_endpoint"));
        Assert.Equal(issuer + "/ssf/verify", metadata.Str("verification_endpoint"));
        Assert.Equal("urn:ietf:rfc:6750", metadata.GetProperty("authorization_schemes")[0].Str("spec_urn"));
        Assert.Equal("ALL", metadata.Str("default_subjects"));
    }

    [Fact]
    public async Task A_stream_is_created_read_changed_replaced_paused_and_deleted_and_bad_requests_are_refused()
    {
        var api = new ApiClient(factory.CreateClient());
        var streams = $"/v1/tenants/{api.Tenant}/ssf/streams";
        var (created, stream) = await api.PostAsync(streams, new
        {
            delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "http://127.0.0.1:9/ssf", authorization_header = "Bearer receiver-secret" },
            events_requested = new[] { Revoked, "https://example.com/unknown-event" },
            description = "SIEM",
        });
        Assert.Equal(HttpStatusCode.Created, created);
        var id = stream.Str("stream_id");
        Assert.Equal(Audience, stream.Str("aud"));
        Assert.Equal([Revoked], stream.GetProperty("events_delivered").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([Established, Revoked, RiskLevelChange], stream.GetProperty("events_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.False(stream.GetProperty("delivery").TryGetProperty("authorization_header", out _)); // Never shown again.

        Assert.Equal(id, (await api.GetAsync($"{streams}?stream_id={id}")).Body.Str("stream_id"));
        Assert.Equal([id], (await api.GetAsync(streams)).Body.EnumerateArray().Select(s => s.Str("stream_id")));

        var (patched, changed) = await api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, streams) { Content = JsonContent.Create(new { stream_id = id, description = "SOC" }) });
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal(("SOC", "http://127.0.0.1:9/ssf"), (changed.Str("description"), changed.GetProperty("delivery").Str("endpoint_url")));
        var (replaced, replacement) = await api.SendAsync(new HttpRequestMessage(HttpMethod.Put, streams)
        {
            Content = JsonContent.Create(new { stream_id = id, delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "http://127.0.0.1:9/other" } }),
        });
        Assert.Equal(HttpStatusCode.OK, replaced);
        Assert.Equal(JsonValueKind.Null, replacement.GetProperty("description").ValueKind); // Left out of a replacement: cleared.
        Assert.Empty(replacement.GetProperty("events_requested").EnumerateArray());

        var status = $"/v1/tenants/{api.Tenant}/ssf/status";
        Assert.Equal("enabled", (await api.GetAsync($"{status}?stream_id={id}")).Body.Str("status"));
        var (paused, pausedBody) = await api.PostAsync(status, new { stream_id = id, status = "paused", reason = "maintenance" });
        Assert.Equal((HttpStatusCode.OK, "paused", "maintenance"), (paused, pausedBody.Str("status"), pausedBody.Str("reason")));

        foreach (var bad in new object[]
        {
            new { delivery = new { method = "urn:ietf:rfc:8935" } },
            new { delivery = new { method = "urn:ietf:rfc:9999" } },
            new { delivery = new { endpoint_url = "http://127.0.0.1:9/ssf" } },
            new { delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "ftp://127.0.0.1/ssf" } },
        })
        {
            var (refused, problem) = await api.PostAsync(streams, bad);
            Assert.True(refused == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(bad)}: {refused}");
            JsonAssert.IsProblem(problem, "validation");
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(status, new { stream_id = id, status = "stopped" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"{streams}?stream_id=st_none")).Status);

        // Another receiver (key) of the tenant does not see the stream.
        var other = factory.CreateClient();
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestKeys.TenantAdmin.Secret);
        var otherApi = new ApiClient(other, TestKeys.Tenant);
        var (mine, _) = await api.PostAsync($"/v1/tenants/{TestKeys.Tenant}/ssf/streams", new { delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "http://127.0.0.1:9/ssf" } });
        Assert.Equal(HttpStatusCode.Created, mine);
        Assert.Empty((await otherApi.GetAsync($"/v1/tenants/{TestKeys.Tenant}/ssf/streams")).Body.EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{streams}?stream_id={id}"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"{streams}?stream_id={id}"))).Status);
        Assert.Empty((await api.GetAsync(streams)).Body.EnumerateArray());
    }

    [Fact]
    public async Task Sign_ons_and_every_ending_reach_a_push_stream_as_verified_caep_sets()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        var streamId = await CreateStreamAsync(api, receiver);

        var first = (await api.SignOnAsync()).Str("id");
        var second = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{first}/revoke", new { reason = "lost laptop" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{second}/sign-out", null)).Status);

        await WaitForAsync("four SETs at the receiver", () => receiver.Sets.Count >= 4, TimeSpan.FromSeconds(30));
        Assert.Empty(receiver.Invalid);
        var sets = receiver.Sets.Select(s => s.GetProperty("claims")).ToList();
        var kinds = sets.Select(c => (Type: c.GetProperty("events").EnumerateObject().Single().Name, Session: c.GetProperty("sub_id").GetProperty("session").Str("id"))).ToList();
        Assert.Equal([(Established, first), (Established, second), (Revoked, first), (Revoked, second)], kinds.Order());

        var issuer = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body.Str("issuer");
        foreach (var set in receiver.Sets)
        {
            var claims = set.GetProperty("claims");
            Assert.Equal((issuer, Audience), (claims.Str("iss"), claims.Str("aud")));
            Assert.Equal(26, claims.Str("txn").Length); // The event's id: SETs of one change share it.
            Assert.StartsWith(claims.Str("txn") + ".", claims.Str("jti"), StringComparison.Ordinal);
            var subject = claims.GetProperty("sub_id");
            Assert.Equal(("complex", "opaque", "iss_sub"), (subject.Str("format"), subject.GetProperty("session").Str("format"), subject.GetProperty("user").Str("format")));
            Assert.Equal((issuer, api.UserId), (subject.GetProperty("user").Str("iss"), subject.GetProperty("user").Str("sub")));
            Assert.Equal("Bearer receiver-secret", set.Str("authorization"));
            Assert.Equal(("secevent+jwt", "RS256"), (set.GetProperty("header").Str("typ"), set.GetProperty("header").Str("alg")));
        }

        var revoke = sets.Single(c => c.GetProperty("events").TryGetProperty(Revoked, out var e) && c.GetProperty("sub_id").GetProperty("session").Str("id") == first).GetProperty("events").GetProperty(Revoked);
        Assert.Equal(("admin", "lost laptop"), (revoke.Str("initiating_entity"), revoke.GetProperty("reason_admin").Str("en")));
        var signOut = sets.Single(c => c.GetProperty("events").TryGetProperty(Revoked, out _) && c.GetProperty("sub_id").GetProperty("session").Str("id") == second).GetProperty("events").GetProperty(Revoked);
        Assert.Equal(("user", "sign-out"), (signOut.Str("initiating_entity"), signOut.GetProperty("reason_admin").Str("en"))); // The ending's own reason.
        Assert.True(signOut.GetProperty("event_timestamp").GetInt64() > 0);

        var (_, deliveries) = await api.GetAsync($"/v1/tenants/{api.Tenant}/ssf/streams?stream_id={streamId}");
        Assert.Equal(streamId, deliveries.Str("stream_id"));
    }

    [Fact]
    public async Task Each_way_a_session_ends_brings_exactly_one_session_revoked_set_to_each_stream_pushed_or_polled()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        await CreateStreamAsync(api, receiver, Revoked);
        var (created, polled) = await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams", new { events_requested = new[] { Revoked } });
        Assert.Equal(HttpStatusCode.Created, created);
        await using var poller = SsfPoller.Start(factory.CreateClient(), polled.GetProperty("delivery").Str("endpoint_url"));

        var signedOut = (await api.SignOnAsync()).Str("id");
        var revoked = (await api.SignOnAsync()).Str("id");
        var selfRevoked = (await api.SignOnAsync()).Str("id");
        var other = (await api.SignOnAsync()).Str("id");
        var (signedOn, keeper) = await api.PostAsync(api.Sessions, ApiClient.SignOnBody());
        Assert.Equal(HttpStatusCode.Created, signedOn);
        var (kept, token) = (keeper.GetProperty("session").Str("id"), keeper.Str("token"));
        var me = factory.CreateAnonymousClient();
        me.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var self = new ApiClient(me, api.Tenant);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{signedOut}/sign-out", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{revoked}/revoke", new { reason = "stolen" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await self.PostAsync($"/v1/me/sessions/{selfRevoked}/revoke", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await self.PostAsync("/v1/me/sessions/revoke-others", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/revoke", new { reason = "password changed" })).Status);

        string[] ended = [signedOut, revoked, selfRevoked, other, kept];
        await WaitForAsync("five pushed SETs", () => receiver.Sets.Count >= ended.Length, TimeSpan.FromSeconds(30));
        await WaitForAsync("five polled SETs", () => poller.Sets.Count >= ended.Length, TimeSpan.FromSeconds(30));
        Assert.Empty(receiver.Invalid);
        Assert.Equal(ended.Order(), receiver.Sets.Select(SessionOf).Order());
        Assert.Equal(ended.Order(), poller.Sets.Values.Select(UnverifiedJwt.SessionOf).Order());
        Assert.Empty(poller.Repeated);

        // Who ended each, as CAEP says it: the user (sign-out, through /v1/me), or an administrator (a key).
        var initiators = receiver.Sets.ToDictionary(SessionOf, s => s.GetProperty("claims").GetProperty("events").GetProperty(Revoked).Str("initiating_entity"));
        Assert.Equal(["user", "admin", "user", "user", "admin"], ended.Select(id => initiators[id]));
        foreach (var set in poller.Sets.Values)
        {
            var (valid, answer) = await receiver.VerifyAsync(set, Audience, "secevent+jwt");
            Assert.True(valid, answer.ToString());
            Assert.Equal(initiators[UnverifiedJwt.SessionOf(set)], answer.GetProperty("claims").GetProperty("events").GetProperty(Revoked).Str("initiating_entity"));
        }
    }

    [Fact]
    public async Task A_paused_stream_holds_its_sets_until_enabled_a_disabled_one_drops_them_and_a_removed_subject_gets_none()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        var streamId = await CreateStreamAsync(api, receiver, Revoked);
        var status = $"/v1/tenants/{api.Tenant}/ssf/status";

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "paused" })).Status);
        var held = await SignOnAndRevokeAsync(api);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "enabled" })).Status);
        await WaitForAsync("the SET held while paused", () => receiver.Sets.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Equal(held, SessionOf(receiver.Sets[0]));

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "disabled" })).Status);
        var dropped = await SignOnAndRevokeAsync(api);
        var removed = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "enabled" })).Status);
        var subjects = $"/v1/tenants/{api.Tenant}/ssf/subjects";
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"{subjects}/remove", new { stream_id = streamId, subject = new { format = "opaque", id = removed } })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{removed}/revoke", null)).Status);
        var delivered = await SignOnAndRevokeAsync(api);

        await WaitForAsync("the SET after the stream was enabled again", () => receiver.Sets.Any(s => SessionOf(s) == delivered), TimeSpan.FromSeconds(30));
        Assert.True(
            receiver.Sets.Select(SessionOf).SequenceEqual([held, delivered]), // Nothing of the disabled time, nothing of the removed subject.
            $"held {held}, dropped {dropped}, removed {removed}, delivered {delivered}; received {string.Join(", ", receiver.Sets.Select(SessionOf))}");
        Assert.DoesNotContain(dropped, receiver.Sets.Select(SessionOf));

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{subjects}/add", new { stream_id = streamId, subject = new { format = "opaque", id = removed } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"{subjects}/add", new { stream_id = streamId, subject = new { format = "opaque" } })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"{subjects}/add", new { stream_id = "st_none", subject = new { format = "opaque", id = removed } })).Status);
    }

    [Fact]
    public async Task Evictions_and_expiries_are_session_revoked_sets_initiated_by_policy()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        await CreateStreamAsync(api, receiver, Revoked);

        var ids = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            ids.Add((await api.SignOnAsync()).Str("id")); // The eleventh evicts the first.
        }

        await WaitForAsync("the evicted session's SET", () => receiver.Sets.Count >= 1, TimeSpan.FromSeconds(30));
        var eviction = Assert.Single(receiver.Sets).GetProperty("claims");
        Assert.Equal(ids[0], eviction.GetProperty("sub_id").GetProperty("session").Str("id"));
        Assert.Equal(("policy", "ring-full"), (eviction.GetProperty("events").GetProperty(Revoked).Str("initiating_entity"), eviction.GetProperty("events").GetProperty(Revoked).GetProperty("reason_admin").Str("en")));

        var other = new ApiClient(factory.CreateClient(), api.Tenant);
        var expiring = (await other.SignOnAsync(ApiClient.SignOnBody(idleTimeout: 60))).Str("id");
        var directory = $"/v1/tenants/{api.Tenant}/sessions?userId={other.UserId}";
        await WaitForAsync("the session in the directory", async () => (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10));
        factory.Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(0, (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength());
        await WaitForAsync("the expired session's SET", () => receiver.Sets.Any(s => SessionOf(s) == expiring), TimeSpan.FromSeconds(30));
        var expiry = receiver.Sets.Single(s => SessionOf(s) == expiring).GetProperty("claims").GetProperty("events").GetProperty(Revoked);
        Assert.Equal(("policy", "expired"), (expiry.Str("initiating_entity"), expiry.GetProperty("reason_admin").Str("en")));
        Assert.Empty(receiver.Invalid);
    }

    [Fact]
    public async Task Verification_sends_a_set_echoing_the_state_and_refuses_to_be_asked_again_at_once()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        var streamId = await CreateStreamAsync(api, receiver, Revoked);
        var verify = $"/v1/tenants/{api.Tenant}/ssf/verify";

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync(verify, new { stream_id = streamId, state = "state-4711" })).Status);
        await WaitForAsync("the verification SET", () => receiver.Sets.Count >= 1, TimeSpan.FromSeconds(30));
        var claims = Assert.Single(receiver.Sets).GetProperty("claims");
        Assert.Equal("state-4711", claims.GetProperty("events").GetProperty(Verification).Str("state"));
        Assert.Equal(("opaque", streamId), (claims.GetProperty("sub_id").Str("format"), claims.GetProperty("sub_id").Str("id")));

        var (tooSoon, problem) = await api.PostAsync(verify, new { stream_id = streamId });
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon);
        JsonAssert.IsProblem(problem, "verification-too-soon");
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync(verify, new { stream_id = "st_none" })).Status);
    }

    private async Task<TokenReceiver> StartReceiverAsync(ApiClient api)
    {
        var keys = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body;
        return await TokenReceiver.StartAsync(keys.Str("jwksUri"), keys.Str("issuer"));
    }

    private static async Task<string> CreateStreamAsync(ApiClient api, TokenReceiver receiver, params string[] events)
    {
        var (status, stream) = await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams", new
        {
            delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = receiver.SsfUrl(Audience), authorization_header = "Bearer receiver-secret" },
            events_requested = events.Length > 0 ? events : [Established, Revoked],
        });
        Assert.True(status == HttpStatusCode.Created, $"creating the stream: {status} {stream}");
        return stream.Str("stream_id");
    }

    private static async Task<string> SignOnAndRevokeAsync(ApiClient api)
    {
        var id = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{id}/revoke", null)).Status);
        return id;
    }

    private static string SessionOf(JsonElement set) => set.GetProperty("claims").GetProperty("sub_id").GetProperty("session").Str("id");
}
