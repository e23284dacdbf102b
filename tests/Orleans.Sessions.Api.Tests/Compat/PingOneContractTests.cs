using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Orleans.Sessions.Testing.SessionIdSpellings;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>PingOne's Read All Sessions against the facts of its reference page (seed 001), in tests/TestData/Compat/pingone.json.</summary>
public sealed class PingOneContractTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static readonly CompatContract Contract = CompatContract.Load("pingone");

    private static HttpClient WithKey(SeedUser user, string secret) => user.Client(h => h.Authorization = new AuthenticationHeaderValue("Bearer", secret));

    private static string Sessions(SeedUser user) => $"/v1/environments/{user.Tenant}/users/{user.UserId}/sessions";

    [Fact]
    public async Task The_list_has_every_field_of_the_example_newest_first_with_absolute_links()
    {
        var user = await SeedUser.CreateAsync(factory);
        var client = WithKey(user, TestKeys.Read.Secret);

        var (status, body, _) = await SeedUser.GetAsync(client, Sessions(user));

        Assert.Equal(HttpStatusCode.OK, status);
        Contract.AssertAnswer(status, body);
        var sessions = body.GetProperty("_embedded").GetProperty("sessions").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 3).Reverse().Select(i => ToUuid(user.SessionId(i))), sessions.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(3, body.GetProperty("count").GetInt32());
        Assert.Equal(3, body.GetProperty("size").GetInt32());
        var root = new Uri(client.BaseAddress!, $"/v1/environments/{user.Tenant}").ToString();
        Assert.Equal(root + $"/users/{user.UserId}/sessions", body.GetProperty("_links").GetProperty("self").GetProperty("href").GetString());
        var newest = sessions[0];
        Assert.Equal($"{root}/users/{user.UserId}/sessions/{ToUuid(user.SessionId(2))}", newest.GetProperty("_links").GetProperty("self").GetProperty("href").GetString());
        Assert.Equal(root, newest.GetProperty("_links").GetProperty("environment").GetProperty("href").GetString());
        Assert.Equal(user.Tenant, newest.GetProperty("environment").GetProperty("id").GetString());
        Assert.Equal(user.UserId, newest.GetProperty("user").GetProperty("id").GetString());
        var location = newest.GetProperty("locations")[0];
        Assert.Equal(("198.51.100.12", "Tacoma", "Washington", "United States"),
            (location.GetProperty("remoteIp").GetString(), location.GetProperty("city").GetString(), location.GetProperty("state").GetString(), location.GetProperty("country").GetString()));
        Assert.Equal(user.Sessions[2].GetProperty("createdAt").GetString(), newest.GetProperty("createdAt").GetString());
        Assert.Equal(user.Sessions[2].GetProperty("createdAt").GetString(), newest.GetProperty("lastSignOn").GetProperty("at").GetString());
    }

    [Fact]
    public async Task Ended_sessions_stay_in_the_list_and_one_session_reads_like_an_item_of_it()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);
        var client = WithKey(user, SessionsApiFactory.BootstrapKey);
        var uuid = ToUuid(user.SessionId(0));

        var (deleted, _, _) = await SeedUser.SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, $"{Sessions(user)}/{uuid}"));
        Assert.Equal(HttpStatusCode.NoContent, deleted);
        var (again, _, _) = await SeedUser.SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, $"{Sessions(user)}/{uuid}"));
        Assert.Equal(HttpStatusCode.NoContent, again);

        var (_, list, _) = await SeedUser.GetAsync(client, Sessions(user));
        Assert.Equal(2, list.GetProperty("count").GetInt32());
        var (status, one, _) = await SeedUser.GetAsync(client, $"{Sessions(user)}/{uuid}");
        Assert.Equal(HttpStatusCode.OK, status);
        Contract.AssertShape(one, "Session");
        Assert.Equal(uuid, one.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Population_level_administrators_see_only_their_populations()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);

        var (_, inside, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.PopulationKey.Secret), Sessions(user));
        var (_, outside, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.OtherPopulationKey.Secret), Sessions(user));

        Assert.Equal(2, inside.GetProperty("count").GetInt32());
        Assert.Equal(0, outside.GetProperty("count").GetInt32());
        var (status, body, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.OtherPopulationKey.Secret), $"{Sessions(user)}/{ToUuid(user.SessionId(0))}");
        AssertError(status, body, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Errors_are_in_its_shape()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);

        var (bad, badBody, _) = await SeedUser.GetAsync(WithKey(user, SessionsApiFactory.BootstrapKey), $"{Sessions(user)}/not-a-uuid");
        AssertError(bad, badBody, HttpStatusCode.BadRequest, "INVALID_DATA");
        Assert.Equal("sessionID", badBody.GetProperty("details")[0].GetProperty("target").GetString());
        var (none, noneBody, noneResponse) = await SeedUser.GetAsync(factory.CreateAnonymousClient(), Sessions(user));
        AssertError(none, noneBody, HttpStatusCode.Unauthorized, "ACCESS_FAILED");
        Assert.Equal("Bearer", noneResponse.Headers.WwwAuthenticate.ToString());
        var (other, otherBody, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.OtherTenantKey.Secret), Sessions(user));
        AssertError(other, otherBody, HttpStatusCode.Forbidden, "ACCESS_FAILED");
        var (missing, missingBody, _) = await SeedUser.GetAsync(WithKey(user, SessionsApiFactory.BootstrapKey), $"{Sessions(user)}/{Guid.Empty}");
        AssertError(missing, missingBody, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    private static void AssertError(HttpStatusCode status, JsonElement body, HttpStatusCode expected, string code)
    {
        Assert.Equal(expected, status);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));
        Assert.StartsWith("The request could not be completed.", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
