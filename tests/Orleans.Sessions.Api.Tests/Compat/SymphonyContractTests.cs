using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Symphony;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>Symphony's Pod API against the facts of its OpenAPI document (seed 000), in tests/TestData/Compat/symphony.json.</summary>
public sealed class SymphonyContractTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static readonly CompatContract Contract = CompatContract.Load("symphony");

    private static HttpClient WithKey(SeedUser user, string secret) => user.Client(h => h.Add(Contract.Header("sessionToken"), secret));

    [Fact]
    public async Task The_list_is_V1UserSessions_with_epoch_millisecond_times_and_numeric_user_ids()
    {
        var user = await SeedUser.CreateAsync(factory);

        var (status, body, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.Read.Secret), $"/pod/v1/users/{user.UserId}/sessions");

        Assert.Equal(HttpStatusCode.OK, status);
        Contract.AssertAnswer(status, body);
        var sessions = body.GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 3).Reverse().Select(user.SessionId), sessions.Select(s => s.GetProperty("sessionId").GetString()));
        var newest = user.Sessions[2];
        var v1 = sessions[0];
        Assert.Equal(long.Parse(user.UserId, System.Globalization.CultureInfo.InvariantCulture), v1.GetProperty("userId").GetInt64());
        Assert.Equal(newest.GetProperty("createdAt").GetDateTimeOffset().ToUnixTimeMilliseconds(), v1.GetProperty("creationTime").GetInt64());
        Assert.Equal(newest.GetProperty("idleExpiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds(), v1.GetProperty("expirationDelay").GetInt64());
        Assert.Equal("198.51.100.12", v1.GetProperty("clientIp").GetString());
        Assert.Equal(newest.GetProperty("device").GetProperty("hash").GetString(), v1.GetProperty("deviceHash").GetString());
        Assert.Equal(newest.GetProperty("device").GetProperty("userAgent").GetString(), v1.GetProperty("userAgent").GetString());
    }

    [Fact]
    public async Task The_user_may_list_their_own_sessions_with_their_session_token_and_nobody_elses()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        var other = await SeedUser.CreateAsync(factory, sessions: 1);

        Assert.Equal(HttpStatusCode.OK, (await SeedUser.GetAsync(WithKey(user, user.Tokens[0]), $"/pod/v1/users/{user.UserId}/sessions")).Status);
        var (status, body, _) = await SeedUser.GetAsync(WithKey(user, user.Tokens[0]), $"/pod/v1/users/{other.UserId}/sessions");
        AssertError(status, body, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_user_without_sessions_is_204_and_so_is_one_whose_sessions_all_ended()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);
        var client = WithKey(user, SessionsApiFactory.BootstrapKey);

        var (unknown, _, unknownResponse) = await SeedUser.GetAsync(client, "/pod/v1/users/12345678901234/sessions");
        Assert.Equal(HttpStatusCode.NoContent, unknown);
        Contract.AssertAnswer(unknown, default);
        Assert.Equal(0, unknownResponse.Content.Headers.ContentLength ?? 0);

        var (logout, success, _) = await SeedUser.PostAsync(client, $"/pod/v1/users/{user.UserId}/sessions/{user.SessionId(0)}/logout", null);
        Assert.Equal(HttpStatusCode.OK, logout);
        Assert.Equal("OK", success.GetProperty("message").GetString());
        var (one, list, _) = await SeedUser.GetAsync(client, $"/pod/v1/users/{user.UserId}/sessions");
        Assert.Equal(HttpStatusCode.OK, one);
        Assert.Equal([user.SessionId(1)], list.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("sessionId").GetString()));

        Assert.Equal(HttpStatusCode.OK, (await SeedUser.PostAsync(client, $"/pod/v1/users/{user.UserId}/sessions/logout", null)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SeedUser.GetAsync(client, $"/pod/v1/users/{user.UserId}/sessions")).Status);
        var revoked = JsonDocument.Parse(await user.Admin.GetStringAsync($"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions/{user.SessionId(1)}", TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal("bootstrap", revoked.GetProperty("end").GetProperty("by").GetString());
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("99999999999999999999")]
    public async Task A_uid_that_is_not_a_Symphony_user_id_is_400_with_its_Error_body(string uid)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);

        var (status, body, _) = await SeedUser.GetAsync(WithKey(user, SessionsApiFactory.BootstrapKey), $"/pod/v1/users/{uid}/sessions");

        AssertError(status, body, HttpStatusCode.BadRequest);
        Assert.Contains("uid", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Credentials_are_refused_with_its_Error_body()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        var path = $"/pod/v1/users/{user.UserId}/sessions";

        var (none, noneBody, _) = await SeedUser.GetAsync(factory.CreateAnonymousClient(), path);
        AssertError(none, noneBody, HttpStatusCode.Unauthorized);
        var (wrong, wrongBody, _) = await SeedUser.GetAsync(WithKey(user, "not-a-key"), path);
        AssertError(wrong, wrongBody, HttpStatusCode.Unauthorized);
        var (bearer, bearerBody, _) = await SeedUser.GetAsync(user.Admin, path); // Symphony reads only its own header
        AssertError(bearer, bearerBody, HttpStatusCode.Unauthorized);
        var (role, roleBody, _) = await SeedUser.PostAsync(WithKey(user, TestKeys.Read.Secret), path + "/logout", null);
        AssertError(role, roleBody, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Server_errors_have_its_Error_body()
    {
        var context = new DefaultHttpContext { RequestServices = factory.Services, Response = { Body = new MemoryStream() } };

        await SymphonySurface.Instance.WriteErrorAsync(context, new ProblemDetails { Status = 500, Detail = "The service failed to handle the request." });

        context.Response.Body.Position = 0;
        var body = (await JsonDocument.ParseAsync(context.Response.Body, cancellationToken: TestContext.Current.CancellationToken)).RootElement;
        AssertError((HttpStatusCode)context.Response.StatusCode, body, HttpStatusCode.InternalServerError);
    }

    private static void AssertError(HttpStatusCode status, JsonElement body, HttpStatusCode expected)
    {
        Assert.Equal(expected, status);
        Contract.AssertAnswer(status, body);
        Assert.Equal((int)expected, body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }
}
