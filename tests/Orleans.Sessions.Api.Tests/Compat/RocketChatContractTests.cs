using System.Net;
using System.Text;
using System.Text.Json;
using Orleans.Sessions.Api.Tests.Security;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>Rocket.Chat's device management against the facts of its OpenAPI document (seed 003), in tests/TestData/Compat/rocketchat.json.</summary>
public sealed class RocketChatContractTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static readonly CompatContract Contract = CompatContract.Load("rocketchat");

    private static HttpClient As(SeedUser user, string name, string secret) => user.Client(h =>
    {
        h.Add(Contract.Header("X-User-Id"), name);
        h.Add(Contract.Header("X-Auth-Token"), secret);
    });

    private static List<string> Ids(JsonElement list) => [.. list.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("_id").GetString()!)];

    [Fact]
    public async Task List_all_has_every_field_of_its_schema_and_filters_pages_and_sorts()
    {
        var user = await SeedUser.CreateAsync(factory);
        var admin = As(user, TestKeys.ReadAll.Name, TestKeys.ReadAll.Secret);
        var filter = "filter=" + Uri.EscapeDataString("^" + user.UserName + "$");

        var (status, body, _) = await SeedUser.GetAsync(admin, "/api/v1/sessions/list.all?" + filter);

        Assert.Equal(HttpStatusCode.OK, status);
        Contract.AssertAnswer(status, body);
        Assert.Equal(Enumerable.Range(0, 3).Reverse().Select(user.SessionId), Ids(body));
        Assert.Equal((3, 50, 0, true), (body.GetProperty("total").GetInt32(), body.GetProperty("count").GetInt32(), body.GetProperty("offset").GetInt32(), body.GetProperty("success").GetBoolean()));
        var newest = body.GetProperty("sessions")[0];
        Assert.Equal((user.SessionId(2), user.UserId, "app.example.com", "198.51.100.12"),
            (newest.GetProperty("sessionId").GetString(), newest.GetProperty("userId").GetString(), newest.GetProperty("host").GetString(), newest.GetProperty("ip").GetString()));
        Assert.Equal((user.UserName, "User " + user.UserId), (newest.GetProperty("_user").GetProperty("username").GetString(), newest.GetProperty("_user").GetProperty("name").GetString()));
        Assert.Equal(user.Sessions[2].GetProperty("createdAt").GetString(), newest.GetProperty("loginAt").GetString());
        Assert.Equal("browser", newest.GetProperty("device").GetProperty("type").GetString());

        var (_, page, _) = await SeedUser.GetAsync(admin, $"/api/v1/sessions/list.all?{filter}&offset=1&count=1");
        Assert.Equal([user.SessionId(1)], Ids(page));
        Assert.Equal((3, 1, 1), (page.GetProperty("total").GetInt32(), page.GetProperty("count").GetInt32(), page.GetProperty("offset").GetInt32()));
        var (_, ascending, _) = await SeedUser.GetAsync(admin, $"/api/v1/sessions/list.all?{filter}&sort=" + Uri.EscapeDataString("{\"loginAt\": 1}"));
        Assert.Equal(Enumerable.Range(0, 3).Select(user.SessionId), Ids(ascending));
    }

    [Theory]
    [InlineData("sort=loginAt")]
    [InlineData("sort=%7B%22ip%22%3A1%7D")]
    [InlineData("sort=%7B%22loginAt%22%3A2%7D")]
    [InlineData("offset=-1")]
    [InlineData("count=0")]
    [InlineData("filter=(a")]
    public async Task Invalid_parameters_are_400_in_its_shape(string query)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);

        var (status, body, _) = await SeedUser.GetAsync(As(user, "bootstrap", SessionsApiFactory.BootstrapKey), "/api/v1/sessions/list.all?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_key_with_a_TOTP_secret_needs_x_2fa_code_and_gets_its_exact_totp_required_body()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);
        var client = As(user, TestKeys.Totp.Name, TestKeys.Totp.Secret);
        factory.Clock.Advance(TimeSpan.FromSeconds(90 + 30 - (factory.Clock.GetUtcNow().ToUnixTimeSeconds() % 30)));

        var (status, body, _) = await SeedUser.GetAsync(client, "/api/v1/sessions/list.all");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Contract.AssertAnswer(status, body);
        Contract.AssertCase(status, "totp-required", body);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal("totp", body.GetProperty("details").GetProperty("method").GetString());

        var code = Rfc6238.Code(Encoding.ASCII.GetBytes("12345678901234567890"), Rfc6238.StepOf(factory.Clock.GetUtcNow()));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sessions/list.all");
        request.Headers.Add(Contract.Header("x-2fa-code"), code);
        request.Headers.Add(Contract.Header("x-2fa-method"), "totp");
        Assert.Equal(HttpStatusCode.OK, (await SeedUser.SendAsync(client, request)).Status);
        using var replay = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sessions/list.all");
        replay.Headers.Add(Contract.Header("x-2fa-code"), code);
        var (replayed, replayBody, _) = await SeedUser.SendAsync(client, replay);
        Assert.Equal(HttpStatusCode.BadRequest, replayed);
        Assert.Equal("totp-invalid", replayBody.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task Credentials_are_refused_with_its_exact_401_and_403_bodies()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);

        var (none, noneBody, _) = await SeedUser.GetAsync(factory.CreateAnonymousClient(), "/api/v1/sessions/list.all");
        AssertExact(none, noneBody, HttpStatusCode.Unauthorized);
        var (wrong, wrongBody, _) = await SeedUser.GetAsync(As(user, TestKeys.ReadAll.Name, TestKeys.Read.Secret), "/api/v1/sessions/list.all");
        AssertExact(wrong, wrongBody, HttpStatusCode.Unauthorized);
        var (role, roleBody, _) = await SeedUser.GetAsync(As(user, TestKeys.Read.Name, TestKeys.Read.Secret), "/api/v1/sessions/list.all");
        AssertExact(role, roleBody, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_user_lists_reads_and_ends_their_own_sessions_with_their_session_token()
    {
        var user = await SeedUser.CreateAsync(factory);
        var self = As(user, user.UserId, user.Tokens[2]);

        var (status, list, _) = await SeedUser.GetAsync(self, "/api/v1/sessions/list");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Enumerable.Range(0, 3).Reverse().Select(user.SessionId), Ids(list));
        Assert.True(list.GetProperty("success").GetBoolean());

        var (infoStatus, info, _) = await SeedUser.GetAsync(self, $"/api/v1/sessions/info?sessionId={user.SessionId(0)}");
        Assert.Equal(HttpStatusCode.OK, infoStatus);
        Assert.Equal(user.SessionId(0), info.GetProperty("_id").GetString());
        Assert.True(info.GetProperty("success").GetBoolean());

        var (logout, result, _) = await SeedUser.PostAsync(self, "/api/v1/sessions/logout.me", new { sessionId = user.SessionId(0) });
        Assert.Equal(HttpStatusCode.OK, logout);
        Assert.Equal((user.SessionId(0), true), (result.GetProperty("sessionId").GetString(), result.GetProperty("success").GetBoolean()));
        var (gone, goneBody, _) = await SeedUser.GetAsync(self, $"/api/v1/sessions/info?sessionId={user.SessionId(0)}");
        Assert.Equal(HttpStatusCode.NotFound, gone);
        Assert.False(goneBody.GetProperty("success").GetBoolean());

        // The token must belong to the user named in X-User-Id.
        Assert.Equal(HttpStatusCode.Unauthorized, (await SeedUser.GetAsync(As(user, user.UserId + "0", user.Tokens[2]), "/api/v1/sessions/list")).Status);
    }

    [Fact]
    public async Task An_administrator_ends_any_session_by_its_id()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);
        var admin = As(user, TestKeys.Revoke.Name, TestKeys.Revoke.Secret);

        var (status, result, _) = await SeedUser.PostAsync(admin, "/api/v1/sessions/logout", new { sessionId = user.SessionId(1) });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(result.GetProperty("success").GetBoolean());
        var revoked = JsonDocument.Parse(await user.Admin.GetStringAsync($"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions/{user.SessionId(1)}", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(TestKeys.Revoke.Name, revoked.GetProperty("end").GetProperty("by").GetString());
        var (again, againBody, _) = await SeedUser.PostAsync(admin, "/api/v1/sessions/logout", new { sessionId = user.SessionId(1) });
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Equal("error-session-not-found", againBody.GetProperty("errorType").GetString());
    }

    /// <summary>The status, the documented shape, and the exact strings the document fixes for that status.</summary>
    private static void AssertExact(HttpStatusCode status, JsonElement body, HttpStatusCode expected)
    {
        Assert.Equal(expected, status);
        Contract.AssertAnswer(status, body);
    }
}
