using System.Net;
using System.Text;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests;

/// <summary>
/// Session metadata (docs/sessions.md, "Metadata"): given at sign-on, changed with a JSON Merge Patch (RFC 7396) —
/// a value sets its key, null removes it — stored before the answer, in the canonical record and in events
/// (<c>session.updated</c>); the limits answered 400 (a bad key or value) and 413 (too much after the patch), each
/// changing nothing. The host's directory indexes the key <c>plan</c> and scans for the others, so list-all's
/// filters are checked both ways.
/// </summary>
public sealed class SessionMetadataTests(SessionMetadataTests.PlanIndexedApiFactory factory) : IClassFixture<SessionMetadataTests.PlanIndexedApiFactory>
{
    /// <summary>A host whose directory shards index the metadata key <c>plan</c>.</summary>
    public sealed class PlanIndexedApiFactory : OwnClockApiFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Sessions:DirectoryIndexedMetadataKeys:0"] = "plan",
        };
    }

    [Fact]
    public async Task Metadata_given_at_sign_on_is_in_the_record_and_a_merge_patch_sets_and_removes_keys()
    {
        var api = new ApiClient(factory.CreateClient());
        var (status, signedOn) = await api.PostRawAsync(api.Sessions, """
            {"ip":"203.0.113.10","userAgent":"metadata","authMethod":"password","metadata":{"plan":"pro","seats":5.10,"kiosk":false}}
            """);
        Assert.Equal(HttpStatusCode.Created, status);
        var session = signedOn.GetProperty("session");
        var id = session.Str("id");
        Assert.Equal("""{"kiosk":false,"plan":"pro","seats":5.10}""", session.GetProperty("metadata").GetRawText()); // The number as given.

        var (patched, changed) = await PatchAsync(api, id, """{"plan":"enterprise","kiosk":null,"region":"eu","absent":null}""");
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Equal("""{"plan":"enterprise","region":"eu","seats":5.10}""", changed.GetProperty("metadata").GetRawText());
        Assert.Equal(changed.GetProperty("metadata").GetRawText(), (await api.GetAsync($"{api.Sessions}/{id}")).Body.GetProperty("metadata").GetRawText());

        // In events: the sign-on's session.created carries what it was given, the patch's session.updated what it made.
        var events = (await api.GetAsync($"/v1/tenants/{api.Tenant}/events?userId={api.UserId}")).Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["session.created", "session.updated"], events.Select(e => e.Str("type")));
        Assert.Equal("pro", events[0].GetProperty("data").GetProperty("metadata").Str("plan"));
        Assert.Equal("enterprise", events[1].GetProperty("data").GetProperty("metadata").Str("plan"));

        // Every key removed: no metadata at all.
        var (_, emptied) = await PatchAsync(api, id, """{"plan":null,"region":null,"seats":null}""");
        Assert.True(!emptied.TryGetProperty("metadata", out var none) || none.ValueKind == JsonValueKind.Null, emptied.ToString());
    }

    [Fact]
    public async Task Bad_patches_are_refused_400_413_or_415_and_change_nothing()
    {
        var api = new ApiClient(factory.CreateClient());
        var id = (await api.SignOnAsync()).Str("id");
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(api, id, """{"plan":"pro"}""")).Status);

        foreach (var bad in new[]
        {
            """{"nested":{"a":1}}""",
            """{"list":[1,2]}""",
            """{"bad key":"x"}""",
            """{"":"x"}""",
            "[]",
            "\"text\"",
            "{\"truncated\": ",
        })
        {
            var (refused, problem) = await PatchAsync(api, id, bad);
            Assert.True(refused == HttpStatusCode.BadRequest, $"{bad}: {refused} {problem}");
        }

        // Too much after the patch: more than 32 keys, or more than 4096 bytes.
        var many = "{" + string.Join(",", Enumerable.Range(0, 32).Select(i => $"\"k{i}\":{i}")) + "}";
        var (tooMany, manyProblem) = await PatchAsync(api, id, many); // 32 new keys beside "plan"
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany);
        JsonAssert.IsProblem(manyProblem, "metadata-too-large");
        var (tooBig, _) = await PatchAsync(api, id, $$"""{"note":"{{new string('x', 4096)}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig);

        // Not a merge patch.
        using var asJson = new HttpRequestMessage(HttpMethod.Patch, $"{api.Sessions}/{id}") { Content = new StringContent("""{"plan":"x"}""", Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await api.SendAsync(asJson)).Status);

        Assert.Equal("""{"plan":"pro"}""", (await api.GetAsync($"{api.Sessions}/{id}")).Body.GetProperty("metadata").GetRawText());

        // No such session; a session that has ended.
        Assert.Equal(HttpStatusCode.NotFound, (await PatchAsync(api, id[..^1] + (id[^1] == 'A' ? 'B' : 'A'), """{"plan":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{id}/sign-out", null)).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await PatchAsync(api, id, """{"plan":"x"}""")).Status);
    }

    [Fact]
    public async Task A_sign_on_with_metadata_that_breaks_a_rule_is_refused_and_makes_no_session()
    {
        var api = new ApiClient(factory.CreateClient());
        foreach (var metadata in new[]
        {
            """{"nested":{"a":1}}""",
            """{"nothing":null}""",
            """{"bad key":1}""",
            $$"""{"note":"{{new string('x', 4096)}}"}""",
            "{" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"k{i}\":{i}")) + "}",
        })
        {
            var (status, problem) = await api.PostRawAsync(api.Sessions, $$"""{"ip":"203.0.113.10","userAgent":"metadata","authMethod":"password","metadata":{{metadata}}}""");
            Assert.True(status == HttpStatusCode.BadRequest, $"{metadata}: {status} {problem}");
            JsonAssert.HasErrorFor(problem, "metadata");
        }

        Assert.Empty((await api.GetAsync(api.Sessions)).Body.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task List_all_finds_sessions_by_their_metadata_shows_it_and_follows_its_changes()
    {
        var api = new ApiClient(factory.CreateClient());
        var pro = await SignOnAsync(api, """{"plan":"pro","seats":5}""");
        var free = await SignOnAsync(api, """{"plan":"free"}""");
        await SignOnAsync(api, null);
        var all = $"/v1/tenants/{api.Tenant}/sessions";
        await WaitForAsync("three sessions in the directory", async () => (await api.GetAsync(all)).Body.GetProperty("total").GetInt32() == 3, TimeSpan.FromSeconds(10));

        async Task<List<string>> FindAsync(string query) =>
            [.. (await api.GetAsync($"{all}?{query}")).Body.GetProperty("items").EnumerateArray().Select(i => i.Str("id"))];
        Assert.Equal([pro], await FindAsync("metadata.plan=pro"));
        Assert.Equal([pro], await FindAsync("metadata.plan=pro&metadata.seats=5"));
        Assert.Empty(await FindAsync("metadata.seats=5.0")); // Compared as written.
        Assert.Empty(await FindAsync("metadata.plan=pro&metadata.seats=6"));
        Assert.Equal([free], await FindAsync("metadata.plan=free"));
        var item = (await api.GetAsync($"{all}?metadata.plan=pro")).Body.GetProperty("items")[0];
        Assert.Equal("""{"plan":"pro","seats":5}""", item.GetProperty("metadata").GetRawText());

        // A patch reaches the directory.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(api, free, """{"plan":"pro"}""")).Status);
        await WaitForAsync("the patched session found by its new plan", async () => (await FindAsync("metadata.plan=pro")).Count == 2, TimeSpan.FromSeconds(10));
        Assert.Equal(2, (await api.GetAsync($"{all}/count?metadata.plan=pro")).Body.GetProperty("total").GetInt32());

        foreach (var bad in new[] { "metadata.bad%20key=x", "metadata.plan=a&metadata.plan=b", "metadata.plan=", "metadata.=x" })
        {
            var (status, problem) = await api.GetAsync($"{all}?{bad}");
            Assert.True(status == HttpStatusCode.BadRequest, $"{bad}: {status} {problem}");
        }
    }

    private static async Task<string> SignOnAsync(ApiClient api, string? metadata)
    {
        var (status, body) = await api.PostRawAsync(api.Sessions, $$"""{"ip":"203.0.113.10","userAgent":"metadata","authMethod":"password"{{(metadata is null ? "" : ",\"metadata\":" + metadata)}}}""");
        Assert.True(status == HttpStatusCode.Created, $"{status} {body}");
        return body.GetProperty("session").Str("id");
    }

    private static Task<(HttpStatusCode Status, JsonElement Body)> PatchAsync(ApiClient api, string sessionId, string patch) =>
        api.SendAsync(new HttpRequestMessage(HttpMethod.Patch, $"{api.Sessions}/{sessionId}") { Content = new StringContent(patch, Encoding.UTF8, "application/merge-patch+json") });
}
