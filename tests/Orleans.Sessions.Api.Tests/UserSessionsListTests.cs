using System.Net;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests;

/// <summary>A user's list: newest first, cursor paging, filters and sorts, and the queries it refuses.</summary>
[Collection(ApiCollection.Name)]
public sealed class UserSessionsListTests(SessionsApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task An_unknown_user_has_no_sessions()
    {
        var (status, body) = await _api.GetAsync(_api.Sessions);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("nextCursor").ValueKind);
    }

    [Fact]
    public async Task The_list_pages_newest_first_with_a_cursor_and_no_repeats()
    {
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await _api.SignOnAsync()).Str("id"));
        }

        created.Reverse();
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var (status, body) = await _api.GetAsync(_api.Sessions + "?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.Equal(HttpStatusCode.OK, status);
            seen.AddRange(body.GetProperty("items").EnumerateArray().Select(s => s.Str("id")));
            cursor = body.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(created, seen);
        Assert.Equal(3, pages);
        Assert.Equal(created.AsEnumerable().Reverse(), (await _api.ListAllAsync("?sort=createdAt")).Select(s => s.Str("id")));
    }

    [Fact]
    public async Task The_list_filters_by_status_and_client()
    {
        var web = await _api.SignOnAsync(ApiClient.SignOnBody(clientId: "web"));
        var mobile = await _api.SignOnAsync(ApiClient.SignOnBody(clientId: "mobile"));
        await _api.PostAsync($"{_api.Sessions}/{mobile.Str("id")}/sign-out", null);

        Assert.Equal([web.Str("id")], (await _api.ListAllAsync("?status=active")).Select(s => s.Str("id")));
        Assert.Equal([mobile.Str("id")], (await _api.ListAllAsync("?status=ended")).Select(s => s.Str("id")));
        Assert.Equal([mobile.Str("id")], (await _api.ListAllAsync("?clientId=mobile")).Select(s => s.Str("id")));
        Assert.Equal([mobile.Str("id"), web.Str("id")], (await _api.ListAllAsync("?sort=-activeAt")).Select(s => s.Str("id")));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?status=sleeping", "status")]
    [InlineData("?status=0", "status")]
    [InlineData("?status=expired,ended", "status")]
    [InlineData("?status=expired&status=ended", "status")]
    [InlineData("?status=Active", "status")]
    [InlineData("?sort=ip", "sort")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?clientId=%01", "clientId")]
    public async Task Invalid_list_queries_are_400(string query, string field)
    {
        var (status, problem) = await _api.GetAsync(_api.Sessions + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.HasErrorFor(problem, field);
    }

    [Fact]
    public async Task A_cursor_made_for_another_sort_is_400()
    {
        for (var i = 0; i < 3; i++)
        {
            await _api.SignOnAsync();
        }

        var (_, page) = await _api.GetAsync(_api.Sessions + "?limit=1");
        var cursor = page.GetProperty("nextCursor").GetString();
        var (status, problem) = await _api.GetAsync(_api.Sessions + "?limit=1&sort=activeAt&cursor=" + cursor);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.HasErrorFor(problem, "cursor");
    }
}
