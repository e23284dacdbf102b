using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Api.Tests.Webhooks;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.SharedSignals;

/// <summary>A host whose poll streams resend an unacknowledged SET after 2 s, keep at most 5 waiting for acknowledgement, and hold a long poll for 5 s.</summary>
public sealed class SsfPollApiFactory : WebhookApiFactory
{
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan LongPollTimeout = TimeSpan.FromSeconds(5);
    public const int MaxUnacknowledged = 5;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Sessions:SharedSignals:ResendAfter"] = ResendAfter.ToString(),
        ["Sessions:SharedSignals:LongPollTimeout"] = LongPollTimeout.ToString(),
        ["Sessions:SharedSignals:LongPollInterval"] = "00:00:00.050",
        ["Sessions:SharedSignals:MaxUnacknowledged"] = MaxUnacknowledged.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Poll delivery of Shared Signals (RFC 8936; docs/shared-signals.md, "Poll delivery"): SETs polled from the stream's
/// endpoint, each verified by tests/clients/token-receiver.mjs with <c>jose</c> against the JWKS it fetches; an
/// acknowledged SET never answered again, an unacknowledged one answered again — the same token — after the resend
/// delay, <c>maxEvents</c>, <c>moreAvailable</c>, <c>returnImmediately</c>, long polls that wait for a SET and end at their
/// bound, paused and disabled streams, and the refusals.
/// </summary>
public sealed class SharedSignalsPollTests(SsfPollApiFactory factory) : IClassFixture<SsfPollApiFactory>
{
    private const string Poll = "urn:ietf:rfc:8936";
    private const string Established = "https://schemas.openid.net/secevent/caep/event-type/session-established";
    private const string Revoked = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
    private const string RiskLevelChange = "https://schemas.openid.net/secevent/caep/event-type/risk-level-change";
    private const string Audience = "bootstrap";

    [Fact]
    public async Task Polled_sets_verify_an_acknowledged_one_never_comes_again_and_an_unacknowledged_one_comes_again_unchanged()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        var issuer = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body.Str("issuer");

        // Without 'delivery', a poll stream, at the transmitter's endpoint.
        var (created, stream) = await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams", new { events_requested = new[] { Established, Revoked } });
        Assert.Equal(HttpStatusCode.Created, created);
        var streamId = stream.Str("stream_id");
        Assert.Equal((Poll, $"{issuer}/ssf/streams/{streamId}/poll"), (stream.GetProperty("delivery").Str("method"), stream.GetProperty("delivery").Str("endpoint_url")));
        var endpoint = stream.GetProperty("delivery").Str("endpoint_url");

        List<string> sessions = [];
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(await SignOnAndRevokeAsync(api));
        }

        // Six SETs: four in the first answer, with more available.
        var (status, first) = await api.PostAsync(endpoint, new { maxEvents = 4, returnImmediately = true });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(first.GetProperty("moreAvailable").GetBoolean());
        var firstSets = Sets(first);
        Assert.Equal(4, firstSets.Count);

        // Acknowledged, they are gone; the rest follow.
        var (_, second) = await api.PostAsync(endpoint, new { ack = firstSets.Keys, returnImmediately = true });
        var secondSets = Sets(second);
        Assert.Equal(2, secondSets.Count);
        Assert.False(second.GetProperty("moreAvailable").GetBoolean());
        Assert.Empty(firstSets.Keys.Intersect(secondSets.Keys));

        // Each verifies, as an SSF SET, with jose; its jti is the key it came under; in log order: each session established, then revoked.
        List<(string Type, string Session)> kinds = [];
        foreach (var (jti, token) in firstSets.Concat(secondSets))
        {
            var (valid, answer) = await receiver.VerifyAsync(token, Audience, "secevent+jwt");
            Assert.True(valid, answer.ToString());
            var claims = answer.GetProperty("claims");
            Assert.Equal(jti, claims.Str("jti"));
            Assert.Equal((issuer, Audience), (claims.Str("iss"), claims.Str("aud")));
            kinds.Add((claims.GetProperty("events").EnumerateObject().Single().Name, claims.GetProperty("sub_id").GetProperty("session").Str("id")));
        }

        Assert.Equal(sessions.SelectMany(id => new[] { (Established, id), (Revoked, id) }), kinds);

        // One of the two acknowledged, one not: nothing now; after the resend delay, the one not acknowledged, the same token.
        var (kept, forgotten) = (secondSets.First(), secondSets.Last());
        var (_, none) = await api.PostAsync(endpoint, new { ack = new[] { kept.Key }, returnImmediately = true });
        Assert.Empty(Sets(none));
        var (_, again) = await api.PostAsync(endpoint, new { }); // A long poll: answered when the resend is due.
        Assert.Equal([forgotten], Sets(again));

        // Acknowledged at last, and nothing more, ever: a long poll ends empty at its bound, past the resend delay.
        var waited = Stopwatch.StartNew();
        var (_, last) = await api.PostAsync(endpoint, new { ack = new[] { forgotten.Key } });
        Assert.Empty(Sets(last));
        Assert.False(last.GetProperty("moreAvailable").GetBoolean());
        Assert.True(waited.Elapsed >= SsfPollApiFactory.LongPollTimeout - TimeSpan.FromMilliseconds(100), $"the long poll answered after {waited.Elapsed}");
    }

    [Fact]
    public async Task A_long_poll_answers_as_soon_as_a_set_comes_and_a_refused_set_is_not_sent_again()
    {
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await CreatePollStreamAsync(api, Revoked);

        var polling = api.PostAsync(endpoint, new { maxEvents = 10 });
        var revoked = await SignOnAndRevokeAsync(api);
        var (status, answer) = await polling;
        Assert.Equal(HttpStatusCode.OK, status);
        var set = Assert.Single(Sets(answer));
        Assert.Equal(revoked, SessionOf(set.Value));

        // Refused (setErrs) rather than acknowledged: forgotten all the same; a long poll past the resend delay gets nothing.
        var (_, after) = await api.PostAsync(endpoint, new { setErrs = new Dictionary<string, object> { [set.Key] = new { err = "invalid_audience", description = "not ours" } } });
        Assert.Empty(Sets(after));

        // maxEvents 0 only acknowledges, at once.
        var (_, zero) = await api.PostAsync(endpoint, new { maxEvents = 0 });
        Assert.Empty(Sets(zero));
    }

    [Fact]
    public async Task No_more_than_the_bound_waits_for_acknowledgement_and_acknowledging_makes_room()
    {
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await CreatePollStreamAsync(api, Established);
        var sessions = new List<string>();
        for (var i = 0; i < SsfPollApiFactory.MaxUnacknowledged + 2; i++)
        {
            sessions.Add((await api.SignOnAsync()).Str("id"));
        }

        // Five answered and none acknowledged: nothing new, and not "more available" — polling again at once would bring nothing.
        var (_, first) = await api.PostAsync(endpoint, new { returnImmediately = true });
        var firstSets = Sets(first);
        Assert.Equal(sessions.Take(SsfPollApiFactory.MaxUnacknowledged), firstSets.Values.Select(SessionOf));
        Assert.False(first.GetProperty("moreAvailable").GetBoolean());
        Assert.Empty(Sets((await api.PostAsync(endpoint, new { returnImmediately = true })).Body));

        // Two acknowledged: room for the two left.
        var (_, second) = await api.PostAsync(endpoint, new { ack = firstSets.Keys.Take(2), returnImmediately = true });
        Assert.Equal(sessions.Skip(SsfPollApiFactory.MaxUnacknowledged), Sets(second).Values.Select(SessionOf));
    }

    [Fact]
    public async Task A_paused_poll_stream_holds_its_sets_and_a_disabled_one_drops_them()
    {
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await CreatePollStreamAsync(api, Revoked);
        var streamId = endpoint.Split('/')[^2];
        var status = $"/v1/tenants/{api.Tenant}/ssf/status";

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "paused" })).Status);
        var held = await SignOnAndRevokeAsync(api);
        Assert.Empty(Sets((await api.PostAsync(endpoint, new { returnImmediately = true })).Body));
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "enabled" })).Status);
        var (_, resumed) = await api.PostAsync(endpoint, new { returnImmediately = true });
        var heldSet = Assert.Single(Sets(resumed));
        Assert.Equal(held, SessionOf(heldSet.Value));

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "disabled" })).Status);
        var dropped = await SignOnAndRevokeAsync(api);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync(status, new { stream_id = streamId, status = "enabled" })).Status);
        var delivered = await SignOnAndRevokeAsync(api);
        var (_, answer) = await api.PostAsync(endpoint, new { ack = new[] { heldSet.Key }, returnImmediately = true });
        Assert.Equal([delivered], Sets(answer).Values.Select(SessionOf));
        Assert.NotEqual(dropped, delivered);
    }

    [Fact]
    public async Task Bad_polls_are_refused_and_a_stream_is_polled_only_by_its_receiver_and_only_if_it_polls()
    {
        var api = new ApiClient(factory.CreateClient());
        var endpoint = await CreatePollStreamAsync(api, Revoked);
        var streamId = endpoint.Split('/')[^2];
        var revoked = await SignOnAndRevokeAsync(api);

        foreach (var bad in new[]
        {
            """{"maxEvents": -1}""",
            """{"maxEvents": "ten"}""",
            """{"ack": "one"}""",
            """{"setErrs": {"x": {"description": "no err"}}}""",
            """{"returnImmediately": "yes"}""",
            "[]",
        })
        {
            var (refused, problem) = await api.PostRawAsync(endpoint, bad);
            Assert.True(refused == HttpStatusCode.BadRequest, $"{bad}: {refused} {problem}");
        }

        // Another receiver of the tenant, a push stream, an unknown stream: no poll stream of the caller.
        var other = factory.CreateClient();
        other.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestKeys.TenantAdmin.Secret);
        var otherApi = new ApiClient(other, TestKeys.Tenant);
        var mine = await CreatePollStreamAsync(new ApiClient(factory.CreateClient(), TestKeys.Tenant), Revoked);
        Assert.Equal(HttpStatusCode.NotFound, (await otherApi.PostAsync(mine, new { returnImmediately = true })).Status);
        var (_, push) = await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams", new { delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "http://127.0.0.1:9/ssf" } });
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams/{push.Str("stream_id")}/poll", new { returnImmediately = true })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams/st_none/poll", new { returnImmediately = true })).Status);

        // A stream keeps its delivery method.
        using var change = new HttpRequestMessage(HttpMethod.Patch, $"/v1/tenants/{api.Tenant}/ssf/streams")
        {
            Content = JsonContent.Create(new { stream_id = streamId, delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "http://127.0.0.1:9/ssf" } }),
        };
        var (changed, problemBody) = await api.SendAsync(change);
        Assert.Equal(HttpStatusCode.BadRequest, changed);
        JsonAssert.HasErrorFor(problemBody, "delivery.method");

        // None of that took the SET: it is still there, once.
        var (_, answer) = await api.PostAsync(endpoint, new { returnImmediately = true });
        Assert.Equal([revoked], Sets(answer).Values.Select(SessionOf));

        // Deleted, the stream answers no more polls.
        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{api.Tenant}/ssf/streams?stream_id={streamId}"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync(endpoint, new { returnImmediately = true })).Status);
    }

    [Fact]
    public async Task A_sessions_risk_crossing_into_another_level_is_a_risk_level_change_set_and_one_that_stays_low_is_none()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        var endpoint = await CreatePollStreamAsync(api, RiskLevelChange);

        await api.SignOnAsync(); // the user's first device: nothing unusual
        var low = await api.SignOnAsync(new { ip = "203.0.113.10", userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", authMethod = "password" });
        Assert.Equal(20, low.GetProperty("risk").GetProperty("score").GetInt32()); // a new device: still LOW, no SET
        var crawler = await api.SignOnAsync(new { ip = "203.0.113.10", userAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", authMethod = "password" });

        var (_, polled) = await api.PostAsync(endpoint, new { returnImmediately = true });
        var (jti, token) = Assert.Single(Sets(polled));
        var (valid, answer) = await receiver.VerifyAsync(token, Audience, "secevent+jwt");
        Assert.True(valid, answer.ToString());
        var claims = answer.GetProperty("claims");
        Assert.Equal((jti, crawler.Str("id")), (claims.Str("jti"), claims.GetProperty("sub_id").GetProperty("session").Str("id")));
        var change = claims.GetProperty("events").GetProperty(RiskLevelChange);
        Assert.Equal(("SESSION", "HIGH", "new_device bot_agent"), (change.Str("principal"), change.Str("current_level"), change.Str("risk_reason")));
        Assert.False(change.TryGetProperty("previous_level", out _)); // a sign-on: there was no level before
        Assert.Equal(crawler.GetProperty("risk").GetProperty("evaluatedAt").GetDateTimeOffset().ToUnixTimeSeconds(), change.GetProperty("event_timestamp").GetInt64());
    }

    private async Task<TokenReceiver> StartReceiverAsync(ApiClient api)
    {
        var keys = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body;
        return await TokenReceiver.StartAsync(keys.Str("jwksUri"), keys.Str("issuer"));
    }

    private static async Task<string> CreatePollStreamAsync(ApiClient api, params string[] events)
    {
        var (status, stream) = await api.PostAsync($"/v1/tenants/{api.Tenant}/ssf/streams", new { delivery = new { method = Poll }, events_requested = events });
        Assert.True(status == HttpStatusCode.Created, $"creating the stream: {status} {stream}");
        return stream.GetProperty("delivery").Str("endpoint_url");
    }

    private static async Task<string> SignOnAndRevokeAsync(ApiClient api)
    {
        var id = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{id}/revoke", null)).Status);
        return id;
    }

    private static Dictionary<string, string> Sets(JsonElement answer) =>
        answer.GetProperty("sets").EnumerateObject().ToDictionary(s => s.Name, s => s.Value.GetString()!, StringComparer.Ordinal);

    private static string SessionOf(string set) => UnverifiedJwt.SessionOf(set);
}
