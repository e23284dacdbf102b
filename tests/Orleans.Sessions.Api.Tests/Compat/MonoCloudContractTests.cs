using System.Net;
using System.Text.Json;
using static Orleans.Sessions.Testing.SessionIdSpellings;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>MonoCloud's Get all sessions and revoke against the facts of its reference page (seed 004), in tests/TestData/Compat/monocloud.json.</summary>
public sealed class MonoCloudContractTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static readonly CompatContract Contract = CompatContract.Load("monocloud");

    private static HttpClient WithKey(SeedUser user, string secret) => user.Client(h => h.Add(Contract.Header("X-API-KEY"), secret));

    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(s => s.GetProperty("session_id").GetString()!)];

    [Fact]
    public async Task The_list_is_an_array_with_every_field_of_the_example_in_epoch_seconds()
    {
        var user = await SeedUser.CreateAsync(factory);

        var (status, body, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.Read.Secret), $"/api/users/{user.UserId}/sessions");

        Assert.Equal(HttpStatusCode.OK, status);
        Contract.AssertAnswer(status, body);
        Assert.Equal(Enumerable.Range(0, 3).Reverse().Select(i => ToHex(user.SessionId(i))), Ids(body));
        var newest = body[0];
        var canonical = user.Sessions[2];
        Assert.Matches("^[0-9A-F]{32}$", newest.GetProperty("session_id").GetString());
        Assert.Matches("^[0-9A-F]{64}$", newest.GetProperty("session_key").GetString());
        Assert.Equal(canonical.GetProperty("createdAt").GetDateTimeOffset().ToUnixTimeSeconds(), newest.GetProperty("initiated_at").GetInt64());
        Assert.Equal(canonical.GetProperty("activeAt").GetDateTimeOffset().ToUnixTimeSeconds(), newest.GetProperty("last_updated").GetInt64());
        Assert.Equal(canonical.GetProperty("idleExpiresAt").GetDateTimeOffset().ToUnixTimeSeconds(), newest.GetProperty("expires_at").GetInt64());
        Assert.Equal(["client-2"], newest.GetProperty("client_ids").EnumerateArray().Select(e => e.GetString()));
        var metadata = newest.GetProperty("last_metadata");
        Assert.Equal(("United States", "Tacoma", "Washington", "198.51.100.12", "47.2529", "-122.4443"),
            (metadata.GetProperty("country").GetString(), metadata.GetProperty("city").GetString(), metadata.GetProperty("region").GetString(),
             metadata.GetProperty("ip_address").GetString(), metadata.GetProperty("latitude").GetString(), metadata.GetProperty("longitude").GetString()));
    }

    [Fact]
    public async Task Page_size_client_id_and_sort_select_and_order()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 5);
        var client = WithKey(user, SessionsApiFactory.BootstrapKey);
        var path = $"/api/users/{user.UserId}/sessions";
        string Id(int i) => ToHex(user.SessionId(i));

        Assert.Equal([Id(4), Id(3)], Ids((await SeedUser.GetAsync(client, path + "?size=2")).Body));
        Assert.Equal([Id(2), Id(1)], Ids((await SeedUser.GetAsync(client, path + "?size=2&page=2")).Body));
        Assert.Equal([Id(0)], Ids((await SeedUser.GetAsync(client, path + "?size=2&page=3")).Body));
        Assert.Empty(Ids((await SeedUser.GetAsync(client, path + "?size=2&page=4")).Body));
        Assert.Equal([Id(3)], Ids((await SeedUser.GetAsync(client, path + "?client_id=client-3")).Body));
        Assert.Equal(Enumerable.Range(0, 5).Select(Id), Ids((await SeedUser.GetAsync(client, path + "?sort=initiated_at:1")).Body));
        Assert.Equal(Enumerable.Range(0, 5).Select(Id), Ids((await SeedUser.GetAsync(client, path + "?sort=session_id:1")).Body));
        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(Id), Ids((await SeedUser.GetAsync(client, path + "?sort=last_updated:-1")).Body));
        Assert.Equal(Enumerable.Range(0, 5).Select(Id), Ids((await SeedUser.GetAsync(client, path + "?sort=expires_at:1")).Body));
    }

    [Theory]
    [InlineData("page=abc", 400)]
    [InlineData("size=1.5", 400)]
    [InlineData("page=0", 422)]
    [InlineData("size=101", 422)]
    [InlineData("sort=initiated_at", 422)]
    [InlineData("sort=ip:1", 422)]
    [InlineData("sort=initiated_at:2", 422)]
    public async Task Malformed_requests_are_400_and_invalid_values_422_as_problem_details(string query, int expected)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);

        var (status, body, response) = await SeedUser.GetAsync(WithKey(user, SessionsApiFactory.BootstrapKey), $"/api/users/{user.UserId}/sessions?{query}");

        Assert.Equal(expected, (int)status);
        AssertProblem(response, body, expected);
    }

    [Fact]
    public async Task Delete_revokes_with_204_and_unknown_sessions_are_404()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);
        var client = WithKey(user, TestKeys.Revoke.Secret);
        var path = $"/api/users/{user.UserId}/sessions/{ToHex(user.SessionId(0))}";

        Assert.Equal(HttpStatusCode.NoContent, (await SeedUser.SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path))).Status);
        Assert.Equal([ToHex(user.SessionId(1))], Ids((await SeedUser.GetAsync(WithKey(user, TestKeys.Read.Secret), $"/api/users/{user.UserId}/sessions")).Body));

        var (again, body, response) = await SeedUser.SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, path));
        Assert.Equal(HttpStatusCode.NotFound, again);
        AssertProblem(response, body, 404);
        var (bad, badBody, badResponse) = await SeedUser.SendAsync(client, new HttpRequestMessage(HttpMethod.Delete, $"/api/users/{user.UserId}/sessions/{user.SessionId(1)}"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad);
        AssertProblem(badResponse, badBody, 422);
    }

    [Fact]
    public async Task Credentials_are_refused_as_problem_details()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        var path = $"/api/users/{user.UserId}/sessions";

        var (none, noneBody, noneResponse) = await SeedUser.GetAsync(factory.CreateAnonymousClient(), path);
        Assert.Equal(HttpStatusCode.Unauthorized, none);
        AssertProblem(noneResponse, noneBody, 401);
        var (role, roleBody, roleResponse) = await SeedUser.SendAsync(WithKey(user, TestKeys.Read.Secret), new HttpRequestMessage(HttpMethod.Delete, $"{path}/{ToHex(user.SessionId(0))}"));
        Assert.Equal(HttpStatusCode.Forbidden, role);
        AssertProblem(roleResponse, roleBody, 403);
    }

    private static void AssertProblem(HttpResponseMessage response, JsonElement body, int status)
    {
        Contract.AssertAnswer((HttpStatusCode)status, body);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(status, body.GetProperty("status").GetInt32());
        Assert.StartsWith("urn:orleans-sessions:problem:", body.GetProperty("type").GetString(), StringComparison.Ordinal);
        if (status == 422)
        {
            // A 422 says which values are invalid, as its detail promises.
            Assert.NotEmpty(body.GetProperty("errors").EnumerateObject());
        }
    }
}
