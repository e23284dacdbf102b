using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Api.Tests.Webhooks;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Backchannel;

/// <summary>
/// OpenID Connect Back-Channel Logout (docs/backchannel-logout.md): every logout token is verified by
/// tests/clients/token-receiver.mjs with the <c>jose</c> package against the JWKS it fetches over HTTP — the claims the
/// specification requires, the signature, the type — and each way a session ends brings exactly one token to each
/// registered client that used it, and none to others.
/// </summary>
public sealed class BackchannelLogoutTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>
{
    [Fact]
    public async Task A_client_is_registered_listed_changed_and_deleted_and_bad_registrations_are_refused()
    {
        var api = new ApiClient(factory.CreateClient());
        var clients = $"/v1/tenants/{api.Tenant}/clients";
        const string clientId = "https://app.example/oidc/client"; // Client ids may be URLs: the path carries them escaped.
        var (created, client) = await api.PostAsync(clients, new { clientId, backchannelLogoutUri = "http://127.0.0.1:9/logout", backchannelLogoutSessionRequired = true });
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(clientId, client.Str("clientId"));
        Assert.True(client.GetProperty("backchannelLogoutSessionRequired").GetBoolean());
        Assert.Equal($"{factory.ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority)}/v1/tenants/{api.Tenant}", client.Str("issuer"));
        Assert.True(client.GetProperty("enabled").GetBoolean());

        var one = $"{clients}/{Uri.EscapeDataString(clientId)}";
        Assert.Equal(clientId, (await api.GetAsync(one)).Body.Str("clientId"));
        using var patch = new HttpRequestMessage(HttpMethod.Patch, one) { Content = JsonContent.Create(new { enabled = false, issuer = "https://idp.example", description = "portal" }) };
        var (patched, changed) = await api.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal(("https://idp.example", false, "portal"), (changed.Str("issuer"), changed.GetProperty("enabled").GetBoolean(), changed.Str("description")));
        Assert.Equal("http://127.0.0.1:9/logout", changed.Str("backchannelLogoutUri"));

        var (again, conflict) = await api.PostAsync(clients, new { clientId, backchannelLogoutUri = "http://127.0.0.1:9/other" });
        Assert.Equal(HttpStatusCode.Conflict, again);
        JsonAssert.IsProblem(conflict, "client-exists");

        foreach (var bad in new object[]
        {
            new { },
            new { clientId = "portal" },
            new { backchannelLogoutUri = "http://127.0.0.1:9/logout" },
            new { clientId = "has space", backchannelLogoutUri = "http://127.0.0.1:9/logout" },
            new { clientId = "portal", backchannelLogoutUri = "ftp://127.0.0.1/logout" },
            new { clientId = "portal", backchannelLogoutUri = "http://user:pass@127.0.0.1/logout" },
            new { clientId = "portal", backchannelLogoutUri = "http://127.0.0.1:9/logout", issuer = "not a url" },
        })
        {
            var (refused, problem) = await api.PostAsync(clients, bad);
            Assert.True(refused == HttpStatusCode.BadRequest, $"{JsonSerializer.Serialize(bad)}: {refused}");
            JsonAssert.IsProblem(problem, "validation");
        }

        using var badPatch = new HttpRequestMessage(HttpMethod.Patch, one) { Content = JsonContent.Create(new { backchannelLogoutUri = "not a url" }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(badPatch)).Status);
        Assert.Single((await api.GetAsync(clients)).Body.GetProperty("items").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, one))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(one)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"{one}/deliveries")).Status);
        Assert.Empty((await api.GetAsync(clients)).Body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_jwks_is_public_makes_no_keys_for_a_tenant_that_has_none_and_never_shows_a_private_key()
    {
        var api = new ApiClient(factory.CreateClient());
        var anonymous = factory.CreateAnonymousClient();
        var jwks = $"/v1/tenants/{api.Tenant}/.well-known/jwks.json";
        using (var empty = await anonymous.GetAsync(jwks, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
            Assert.Empty((await empty.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("keys").EnumerateArray());
        }

        var (status, keys) = await api.GetAsync($"/v1/tenants/{api.Tenant}/keys");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["current", "next"], keys.GetProperty("items").EnumerateArray().Select(k => k.Str("use")));
        Assert.EndsWith($"/v1/tenants/{api.Tenant}/.well-known/jwks.json", keys.Str("jwksUri"), StringComparison.Ordinal);

        using var published = await anonymous.GetAsync(jwks, TestContext.Current.CancellationToken);
        Assert.Equal("public, max-age=300", published.Headers.CacheControl?.ToString());
        var set = (await published.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(keys.GetProperty("items").EnumerateArray().Select(k => k.Str("kid")), set.Select(k => k.Str("kid")));
        Assert.All(set, key =>
        {
            Assert.Equal(("RSA", "sig", "RS256", "AQAB"), (key.Str("kty"), key.Str("use"), key.Str("alg"), key.Str("e")));
            Assert.Equal(256, Convert.FromBase64String(Base64Url(key.Str("n"))).Length); // 2048 bits.
            Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)); // No d, p, q: public halves only.
        });

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/tenants/{api.Tenant}/keys", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Each_way_a_session_ends_brings_one_verified_logout_token_to_each_client_that_used_it()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        await RegisterAsync(api, receiver, "portal");
        await RegisterAsync(api, receiver, "mail");
        await RegisterAsync(api, receiver, "unused");

        // Sessions of the portal, of mail (twice: sign-on and re-authentication), and of a client nobody registered.
        var signedOut = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "portal"))).Str("id");
        var revoked = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "mail"))).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{revoked}/sign-ons", new { ip = "198.51.100.2", authMethod = "mfa", clientId = "portal" })).Status);
        var unregistered = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "nobody"))).Str("id");
        var revokedWithAll = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "portal"))).Str("id");
        var external = (await api.SignOnAsync(new
        {
            ip = "203.0.113.10",
            userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
            authMethod = "password",
            clientId = "mail",
            externalSessionId = "idp-session-42",
        })).Str("id");

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{signedOut}/sign-out", null)).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{revoked}/revoke", new { reason = "lost phone" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/revoke", new { reason = "all" })).Status);

        // sign-out → portal; revoke → mail and portal; revoke-all → portal (revokedWithAll) and mail (external); none for "nobody".
        var expected = new[] { ("portal", signedOut), ("mail", revoked), ("portal", revoked), ("portal", revokedWithAll), ("mail", "idp-session-42") };
        await WaitForAsync("a logout token per client per ended session", () => receiver.Logouts.Count >= expected.Length, TimeSpan.FromSeconds(30));
        var logouts = receiver.Logouts;
        Assert.Equal(expected.Order(), logouts.Select(l => (l.Str("client"), l.GetProperty("claims").Str("sid"))).Order());
        Assert.Empty(receiver.Invalid);
        Assert.DoesNotContain(logouts, l => l.GetProperty("claims").Str("sid") == unregistered);

        var issuer = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body.Str("issuer");
        var currentKid = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body.GetProperty("items")[0].Str("kid");
        foreach (var logout in logouts)
        {
            var claims = logout.GetProperty("claims");
            Assert.Equal(issuer, claims.Str("iss"));
            Assert.Equal(logout.Str("client"), claims.Str("aud"));
            Assert.Equal(api.UserId, claims.Str("sub"));
            Assert.Equal(120, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
            Assert.Equal(26, claims.Str("jti").Length);
            Assert.Equal(JsonValueKind.Object, claims.GetProperty("events").GetProperty("http://schemas.openid.net/event/backchannel-logout").ValueKind);
            Assert.False(claims.TryGetProperty("nonce", out _));
            Assert.Equal(("logout+jwt", "RS256", currentKid), (logout.GetProperty("header").Str("typ"), logout.GetProperty("header").Str("alg"), logout.GetProperty("header").Str("kid")));
            Assert.StartsWith("application/x-www-form-urlencoded", logout.Str("contentType"), StringComparison.Ordinal);
        }

        Assert.Equal(logouts.Count, logouts.Select(l => l.GetProperty("claims").Str("jti")).Distinct().Count());
        Assert.Equal(external, (await api.GetAsync($"{api.Sessions}/{external}")).Body.Str("id"));
        Assert.Equal("idp-session-42", (await api.GetAsync($"{api.Sessions}/{external}")).Body.Str("externalSessionId"));

        var (_, log) = await api.GetAsync($"/v1/tenants/{api.Tenant}/clients/portal/deliveries");
        Assert.Equal(3, log.GetProperty("items").GetArrayLength());
        Assert.All(log.GetProperty("items").EnumerateArray(), a => Assert.Equal(("delivered", 200), (a.Str("outcome"), a.GetProperty("status").GetInt32())));
        Assert.Empty((await api.GetAsync($"/v1/tenants/{api.Tenant}/clients/unused/deliveries")).Body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Evictions_and_expiries_bring_logout_tokens_too()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        await RegisterAsync(api, receiver, "portal");

        var ids = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            ids.Add((await api.SignOnAsync(ApiClient.SignOnBody(clientId: "portal"))).Str("id")); // The eleventh evicts the first.
        }

        await WaitForAsync("the evicted session's logout token", () => receiver.Logouts.Count >= 1, TimeSpan.FromSeconds(30));
        Assert.Equal(ids[0], Assert.Single(receiver.Logouts).GetProperty("claims").Str("sid"));

        var other = new ApiClient(factory.CreateClient(), api.Tenant);
        var expiring = (await other.SignOnAsync(ApiClient.SignOnBody(clientId: "portal", idleTimeout: 60))).Str("id");
        var directory = $"/v1/tenants/{api.Tenant}/sessions?userId={other.UserId}";
        await WaitForAsync("the session in the directory", async () => (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength() == 1, TimeSpan.FromSeconds(10));
        factory.Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(0, (await api.GetAsync(directory)).Body.GetProperty("items").GetArrayLength());
        await WaitForAsync("the expired session's logout token", () => receiver.Logouts.Any(l => l.GetProperty("claims").Str("sid") == expiring), TimeSpan.FromSeconds(30));
        Assert.Empty(receiver.Invalid);
    }

    [Fact]
    public async Task Tokens_signed_before_a_rotation_verify_during_its_overlap_and_not_after_the_retired_key_is_gone()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        await RegisterAsync(api, receiver, "portal");
        var keys = $"/v1/tenants/{api.Tenant}/keys";
        var (first, next) = Kids((await api.GetAsync(keys)).Body);

        var before = await LogoutTokenAsync(api, receiver, 1);
        Assert.Equal(first, before.Header);

        var (rotated, afterRotation) = await api.PostAsync($"{keys}/rotate", new { overlapSeconds = 3600 });
        Assert.Equal(HttpStatusCode.OK, rotated);
        Assert.Equal(["current", "next", "retiring"], afterRotation.GetProperty("items").EnumerateArray().Select(k => k.Str("use")));
        Assert.Equal(next, Kids(afterRotation).Current); // The next key, published since the last rotation, signs now.
        var after = await LogoutTokenAsync(api, receiver, 2);
        Assert.Equal(next, after.Header);

        // During the overlap both verify against the JWKS as it is now.
        Assert.True((await receiver.VerifyAsync(before.Token, "portal", "logout+jwt")).Valid);
        Assert.True((await receiver.VerifyAsync(after.Token, "portal", "logout+jwt")).Valid);

        // Rotated again with an overlap of one second: once that second is over, the key it retired is no longer
        // published, and the token it signed no longer verifies — while the one before it stays for its own overlap.
        var (_, again) = await api.PostAsync($"{keys}/rotate", new { overlapSeconds = 1 });
        Assert.Contains(again.GetProperty("items").EnumerateArray(), k => k.Str("kid") == next && k.Str("use") == "retiring");
        var jwks = factory.CreateAnonymousClient();
        await WaitForAsync("the key retired for one second to leave the JWKS", async () =>
            !(await jwks.GetStringAsync($"/v1/tenants/{api.Tenant}/.well-known/jwks.json", TestContext.Current.CancellationToken)).Contains(next, StringComparison.Ordinal),
            TimeSpan.FromSeconds(20));
        var (valid, answer) = await receiver.VerifyAsync(after.Token, "portal", "logout+jwt");
        Assert.False(valid);
        Assert.Contains("JWKSNoMatchingKey", answer.Str("error"), StringComparison.Ordinal);
        Assert.True((await receiver.VerifyAsync(before.Token, "portal", "logout+jwt")).Valid);

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"{keys}/rotate", new { overlapSeconds = -1 })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"{keys}/rotate", new { overlapSeconds = 30 * 86_400 + 1 })).Status);
    }

    [Fact]
    public async Task Logout_tokens_refused_while_the_client_is_down_all_arrive_once_it_is_back()
    {
        var api = new ApiClient(factory.CreateClient());
        await using var receiver = await StartReceiverAsync(api);
        await RegisterAsync(api, receiver, "portal");
        receiver.Failing = true;

        var sessions = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var user = new ApiClient(factory.CreateClient(), api.Tenant);
            var id = (await user.SignOnAsync(ApiClient.SignOnBody(clientId: "portal"))).Str("id");
            Assert.Equal(HttpStatusCode.OK, (await user.PostAsync($"{user.Sessions}/{id}/revoke", new { reason = "test" })).Status);
            sessions.Add(id);
        }

        await WaitForAsync("the client to refuse logout tokens", () => receiver.Lines.Count(l => l.Str("kind") == "refused") >= 2, TimeSpan.FromSeconds(30));
        Assert.Empty(receiver.Logouts);
        receiver.Failing = false;
        await WaitForAsync("every logout token once the client is back", () => receiver.Logouts.Count >= sessions.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(sessions.Order(), receiver.Logouts.Select(l => l.GetProperty("claims").Str("sid")).Order());
        Assert.Empty(receiver.Invalid);
    }

    private async Task<TokenReceiver> StartReceiverAsync(ApiClient api)
    {
        var keys = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body;
        return await TokenReceiver.StartAsync(keys.Str("jwksUri"), keys.Str("issuer"));
    }

    private static async Task RegisterAsync(ApiClient api, TokenReceiver receiver, string clientId)
    {
        var (status, body) = await api.PostAsync($"/v1/tenants/{api.Tenant}/clients", new { clientId, backchannelLogoutUri = receiver.BackchannelUrl(clientId) });
        Assert.True(status == HttpStatusCode.Created, $"registering {clientId}: {status} {body}");
    }

    /// <summary>Signs a session of the portal on and revokes it; the <paramref name="count"/>th logout token the receiver verified, and its key.</summary>
    private async Task<(string Token, string Header)> LogoutTokenAsync(ApiClient api, TokenReceiver receiver, int count)
    {
        var user = new ApiClient(factory.CreateClient(), api.Tenant);
        var id = (await user.SignOnAsync(ApiClient.SignOnBody(clientId: "portal"))).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await user.PostAsync($"{user.Sessions}/{id}/revoke", new { reason = "test" })).Status);
        await WaitForAsync($"logout token {count}", () => receiver.Logouts.Count >= count, TimeSpan.FromSeconds(30));
        var logout = receiver.Logouts[count - 1];
        return (logout.Str("token"), logout.GetProperty("header").Str("kid"));
    }

    private static (string Current, string Next) Kids(JsonElement keys)
    {
        var items = keys.GetProperty("items").EnumerateArray().ToList();
        return (items.Single(k => k.Str("use") == "current").Str("kid"), items.Single(k => k.Str("use") == "next").Str("kid"));
    }

    private static string Base64Url(string value) => value.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (value.Length % 4)) % 4);
}
