using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// What WorkOS' clients need beyond its document (docs/compatibility.md): <c>order=normal</c>, a code per invalid
/// field, and <c>X-Request-ID</c> on every answer.
/// </summary>
public sealed class WorkOsClientFindingsTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static HttpClient Bearer(SeedUser user) => user.Client(h => h.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey));

    private static (string Ids, string? Before, string? After) Page(JsonElement list) => (
        string.Join(",", list.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetString())),
        list.GetProperty("list_metadata").GetProperty("before").GetString(),
        list.GetProperty("list_metadata").GetProperty("after").GetString());

    [Fact]
    public async Task Order_normal_lists_newest_first_with_before_naming_older_pages_and_after_newer_ones()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 5);
        var client = Bearer(user);
        var path = $"/user_management/users/{user.UserId}/sessions?order=normal&limit=2";
        string Id(int i) => "session_" + user.SessionId(i);

        async Task<(string, string?, string?)> GetAsync(string query)
        {
            var (status, body, _) = await SeedUser.GetAsync(client, path + query);
            Assert.True(status == HttpStatusCode.OK, $"{query}: {status} {body}");
            return Page(body);
        }

        Assert.Equal(($"{Id(4)},{Id(3)}", Id(3), null), await GetAsync(""));
        Assert.Equal(($"{Id(2)},{Id(1)}", Id(1), Id(2)), await GetAsync("&before=" + Id(3)));
        Assert.Equal((Id(0), null, Id(0)), await GetAsync("&before=" + Id(1)));
        Assert.Equal(($"{Id(2)},{Id(1)}", Id(1), Id(2)), await GetAsync("&after=" + Id(0)));
        Assert.Equal(($"{Id(4)},{Id(3)}", Id(3), null), await GetAsync("&after=" + Id(2)));
    }

    [Theory]
    [InlineData("?limit=0", "limit", "limit_out_of_range")]
    [InlineData("?limit=abc", "limit", "invalid_limit")]
    [InlineData("?order=newest", "order", "invalid_order")]
    [InlineData("?after=01H93ZY4F80QPBEZ1R5B2SHQG8", "after", "invalid_cursor")]
    [InlineData("?before=session_x", "before", "invalid_cursor")]
    [InlineData("?before=session_01H93ZY4F80QPBEZ1R5B2SHQG8&after=session_01H93ZY4F80QPBEZ1R5B2SHQG9", "before", "conflicting_cursors")]
    public async Task Each_invalid_list_parameter_has_the_code_of_its_rule(string query, string field, string code)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);

        var (status, body, _) = await SeedUser.GetAsync(Bearer(user), $"/user_management/users/{user.UserId}/sessions{query}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal((field, code), (error.GetProperty("field").GetString(), error.GetProperty("code").GetString()));
    }

    [Theory]
    [InlineData("{}", "session_id_required")]
    [InlineData("", "session_id_required")]
    [InlineData("null", "session_id_required")]
    [InlineData("""{"session_id":"01H93ZY4F80QPBEZ1R5B2SHQG8"}""", "invalid_session_id")]
    public async Task An_invalid_revoke_has_the_code_of_its_rule(string json, string code)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);

        var (status, body, _) = await SeedUser.SendAsync(Bearer(user), new HttpRequestMessage(HttpMethod.Post, "/user_management/sessions/revoke")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(("session_id", code), (error.GetProperty("field").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Every_answer_has_its_own_request_id()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        var path = $"/user_management/users/{user.UserId}/sessions";

        var (okStatus, _, ok) = await SeedUser.GetAsync(Bearer(user), path);
        var (okAgainStatus, _, okAgain) = await SeedUser.GetAsync(Bearer(user), path);
        var (invalidStatus, _, invalid) = await SeedUser.GetAsync(Bearer(user), path + "?limit=0");
        var (refusedStatus, _, refused) = await SeedUser.GetAsync(factory.CreateAnonymousClient(), path);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.UnprocessableEntity, HttpStatusCode.Unauthorized), (okStatus, okAgainStatus, invalidStatus, refusedStatus));
        string[] ids = [.. new[] { ok, okAgain, invalid, refused }.Select(r => Assert.Single(r.Headers.GetValues("X-Request-ID")))];
        Assert.All(ids, id => Assert.False(string.IsNullOrWhiteSpace(id)));
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("req_01H93ZY4F80QPBEZ1R5B2SHQG8", true)]
    [InlineData("proxy:4f1c-22.7", true)]
    [InlineData("two words", false)]
    [InlineData("<script>", false)]
    public async Task A_request_id_the_caller_sends_is_answered_only_when_it_is_a_plain_token(string sent, bool echoed)
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/user_management/users/{user.UserId}/sessions");
        request.Headers.TryAddWithoutValidation("X-Request-ID", sent);

        var (status, _, response) = await SeedUser.SendAsync(Bearer(user), request);

        Assert.Equal(HttpStatusCode.OK, status);
        var answered = Assert.Single(response.Headers.GetValues("X-Request-ID"));
        Assert.Equal(echoed, answered == sent);
    }

    [Fact]
    public async Task An_overlong_request_id_is_not_answered()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 0);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/user_management/users/{user.UserId}/sessions");
        request.Headers.Add("X-Request-ID", new string('a', 129));

        var (_, _, response) = await SeedUser.SendAsync(Bearer(user), request);

        Assert.NotEqual(new string('a', 129), Assert.Single(response.Headers.GetValues("X-Request-ID")));
    }
}
