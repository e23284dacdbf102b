using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>The end user's routes with a session token (<c>/v1/me</c>: docs/api.md; docs/security.md, "Session tokens").</summary>
public sealed class SessionTokenTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private readonly ApiClient _admin = new(factory.CreateClient());

    [Fact]
    public async Task A_token_lists_its_own_users_sessions_and_nothing_else()
    {
        var (mine, token) = await SignOnAsync();
        var (other, _) = await SignOnAsync();
        var (_, someoneElse) = await SignOnAsync(userId: _admin.UserId + "-other");

        var (status, body) = await AsUser(token).GetAsync("/v1/me/sessions");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([other, mine], body.GetProperty("items").EnumerateArray().Select(s => s.Str("id")));
        Assert.All(body.GetProperty("items").EnumerateArray(), s => Assert.Equal(_admin.UserId, s.Str("userId")));

        var (otherStatus, otherBody) = await AsUser(someoneElse).GetAsync("/v1/me/sessions");
        Assert.Equal(HttpStatusCode.OK, otherStatus);
        Assert.Single(otherBody.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task The_user_revokes_one_of_their_sessions_with_an_audit_trail_of_self()
    {
        var (current, token) = await SignOnAsync();
        var (lost, lostToken) = await SignOnAsync();

        var (status, revoked) = await AsUser(token).PostAsync($"/v1/me/sessions/{lost}/revoke", new { reason = "lost phone" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("revoked", revoked.Str("status"));
        Assert.Equal("self", revoked.GetProperty("end").Str("by"));
        Assert.Equal("lost phone", revoked.GetProperty("end").Str("reason"));
        Assert.Equal("active", (await _admin.GetAsync($"{_admin.Sessions}/{current}")).Body.Str("status"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsUser(lostToken).GetAsync("/v1/me/sessions")).Status);
        Assert.Contains(factory.Logs.Lines, l => l.Category == "Orleans.Sessions.Audit" && l.Line.Contains("by=self", StringComparison.Ordinal)
            && l.Line.Contains(lost, StringComparison.Ordinal) && l.Line.Contains("lost phone", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Revoke_others_keeps_the_session_of_the_token()
    {
        var (current, token) = await SignOnAsync();
        var (a, _) = await SignOnAsync();
        var (b, _) = await SignOnAsync();

        var (status, result) = await AsUser(token).PostAsync("/v1/me/sessions/revoke-others", new { reason = "signed out everywhere else" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(new[] { a, b }.Order(), result.GetProperty("revoked").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Equal([current], (await _admin.ListAllAsync("?status=active")).Select(s => s.Str("id")));
        Assert.Equal(HttpStatusCode.OK, (await AsUser(token).GetAsync("/v1/me/sessions")).Status);
    }

    [Fact]
    public async Task A_revoked_sessions_token_works_only_until_its_cached_success_expires_on_the_session_clock()
    {
        var cached = factory.Services.GetRequiredService<IOptionsMonitor<SessionsAuthOptions>>().CurrentValue.SessionTokenCacheDuration;
        Assert.InRange(cached, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1)); // a revoked token must stop within a second
        var (session, token) = await SignOnAsync();
        Assert.Equal(HttpStatusCode.OK, (await AsUser(token).GetAsync("/v1/me/sessions")).Status); // now cached on this gateway

        Assert.Equal(HttpStatusCode.OK, (await _admin.PostAsync($"{_admin.Sessions}/{session}/revoke", new { reason = "admin" })).Status);
        factory.Clock.Advance(cached - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.OK, (await AsUser(token).GetAsync("/v1/me/sessions")).Status); // the cached success, still fresh

        factory.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await AsUser(token).GetAsync("/v1/me/sessions")).Status);
    }

    [Theory]
    [InlineData("sst_")]
    [InlineData("sst_abc.def")]
    [InlineData("sst_a2VlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVlZWVl.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Malformed_tokens_are_401(string token)
    {
        var (status, body) = await AsUser(token).GetAsync("/v1/me/sessions");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        JsonAssert.IsProblem(body, "unauthorized");
    }

    [Fact]
    public async Task A_token_whose_secret_is_altered_is_401()
    {
        var (_, token) = await SignOnAsync();
        var altered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

        Assert.Equal(HttpStatusCode.Unauthorized, (await AsUser(altered).GetAsync("/v1/me/sessions")).Status);
    }

    private ApiClient AsUser(string token)
    {
        var client = factory.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiClient(client);
    }

    private async Task<(string SessionId, string Token)> SignOnAsync(string? userId = null)
    {
        var path = userId is null ? _admin.Sessions : $"/v1/tenants/{_admin.Tenant}/users/{userId}/sessions";
        var (status, body) = await _admin.PostAsync(path, ApiClient.SignOnBody());
        Assert.Equal(HttpStatusCode.Created, status);
        return (body.GetProperty("session").Str("id"), body.Str("token"));
    }
}
