using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Orleans.Sessions.Testing.SessionIdSpellings;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>WorkOS' List Sessions and Revoke Session against the facts of its reference page (seed 002), in tests/TestData/Compat/workos.json.</summary>
public sealed class WorkOsContractTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static readonly CompatContract Contract = CompatContract.Load("workos");

    private static HttpClient WithKey(SeedUser user, string secret) => user.Client(h => h.Authorization = new AuthenticationHeaderValue("Bearer", secret));

    private static List<string> Ids(JsonElement list) => [.. list.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    [Fact]
    public async Task The_list_has_every_field_of_the_example()
    {
        var user = await SeedUser.CreateAsync(factory);

        var (status, body, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.Read.Secret), $"/user_management/users/{user.UserId}/sessions");

        Assert.Equal(HttpStatusCode.OK, status);
        Contract.AssertAnswer(status, body);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal(Enumerable.Range(0, 3).Reverse().Select(i => ToWorkOs(user.SessionId(i))), Ids(body));
        var newest = body.GetProperty("data")[0];
        Assert.Equal("session", newest.GetProperty("object").GetString());
        Assert.Equal(("198.51.100.12", "sso", "active", user.UserId), (newest.GetProperty("ip_address").GetString(), newest.GetProperty("auth_method").GetString(), newest.GetProperty("status").GetString(), newest.GetProperty("user_id").GetString()));
        Assert.Equal("admin@example.com", newest.GetProperty("impersonator").GetProperty("email").GetString());
        Assert.Equal(user.Sessions[2].GetProperty("createdAt").GetString(), newest.GetProperty("created_at").GetString());
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("ended_at").ValueKind);
    }

    [Fact]
    public async Task Limit_before_after_and_order_page_through_the_sessions()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 5);
        var client = WithKey(user, SessionsApiFactory.BootstrapKey);
        var path = $"/user_management/users/{user.UserId}/sessions";
        string Id(int i) => ToWorkOs(user.SessionId(i));

        var (_, first, _) = await SeedUser.GetAsync(client, path + "?limit=2");
        Assert.Equal([Id(4), Id(3)], Ids(first));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("list_metadata").GetProperty("before").ValueKind);
        Assert.Equal(Id(3), first.GetProperty("list_metadata").GetProperty("after").GetString());

        var (_, second, _) = await SeedUser.GetAsync(client, $"{path}?limit=2&after={Id(3)}");
        Assert.Equal([Id(2), Id(1)], Ids(second));
        Assert.Equal(Id(2), second.GetProperty("list_metadata").GetProperty("before").GetString());

        var (_, back, _) = await SeedUser.GetAsync(client, $"{path}?limit=2&before={Id(2)}");
        Assert.Equal([Id(4), Id(3)], Ids(back));
        Assert.Equal(JsonValueKind.Null, back.GetProperty("list_metadata").GetProperty("before").ValueKind);

        var (_, last, _) = await SeedUser.GetAsync(client, $"{path}?limit=2&after={Id(1)}");
        Assert.Equal([Id(0)], Ids(last));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("list_metadata").GetProperty("after").ValueKind);

        var (_, ascending, _) = await SeedUser.GetAsync(client, $"{path}?order=asc&limit=3");
        Assert.Equal([Id(0), Id(1), Id(2)], Ids(ascending));
        var (_, all, _) = await SeedUser.GetAsync(client, path);
        Assert.Equal(5, Ids(all).Count); // default limit 10
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("order=newest", "order")]
    [InlineData("after=01H93ZY4F80QPBEZ1R5B2SHQG8", "after")]
    [InlineData("before=session_x", "before")]
    [InlineData("before=session_01H93ZY4F80QPBEZ1R5B2SHQG8&after=session_01H93ZY4F80QPBEZ1R5B2SHQG9", "before")]
    public async Task Invalid_parameters_are_422_in_its_shape(string query, string field)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);

        var (status, body, _) = await SeedUser.GetAsync(WithKey(user, SessionsApiFactory.BootstrapKey), $"/user_management/users/{user.UserId}/sessions?{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("invalid_request_parameters", body.GetProperty("code").GetString());
        Assert.Contains(field, body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }

    [Fact]
    public async Task Revoke_by_session_id_ends_the_session()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);
        var client = WithKey(user, TestKeys.Revoke.Secret);

        var (status, revoked, _) = await SeedUser.PostAsync(client, "/user_management/sessions/revoke", new { session_id = ToWorkOs(user.SessionId(0)) });

        Assert.Equal(HttpStatusCode.OK, status);
        Contract.AssertShape(revoked, "Session");
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("ended_at").ValueKind);
        var (_, list, _) = await SeedUser.GetAsync(WithKey(user, TestKeys.Read.Secret), $"/user_management/users/{user.UserId}/sessions");
        Assert.Equal([ToWorkOs(user.SessionId(1))], Ids(list));

        var (again, againBody, _) = await SeedUser.PostAsync(client, "/user_management/sessions/revoke", new { session_id = ToWorkOs(user.SessionId(0)) });
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Equal("entity_not_found", againBody.GetProperty("code").GetString());
        var (malformed, malformedBody, _) = await SeedUser.PostAsync(client, "/user_management/sessions/revoke", new { session_id = user.SessionId(1) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed);
        Assert.Equal("session_id", malformedBody.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("[]", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{\"session_id\":", "application/json", HttpStatusCode.BadRequest)]
    [InlineData("{}", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    public async Task A_body_it_cannot_read_is_a_bad_request_in_its_shape(string body, string contentType, HttpStatusCode expected)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, contentType);

        using var response = await WithKey(user, TestKeys.Revoke.Secret).PostAsync("/user_management/sessions/revoke", content, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("bad_request", error.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
    }

    [Fact]
    public async Task Credentials_are_refused_in_its_shape()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);

        var (none, noneBody, _) = await SeedUser.GetAsync(factory.CreateAnonymousClient(), $"/user_management/users/{user.UserId}/sessions");
        Assert.Equal(HttpStatusCode.Unauthorized, none);
        Assert.Equal("unauthorized", noneBody.GetProperty("code").GetString());
        var (role, roleBody, _) = await SeedUser.PostAsync(WithKey(user, TestKeys.Read.Secret), "/user_management/sessions/revoke", new { session_id = ToWorkOs(user.SessionId(0)) });
        Assert.Equal(HttpStatusCode.Forbidden, role);
        Assert.Equal("forbidden", roleBody.GetProperty("code").GetString());
    }
}
