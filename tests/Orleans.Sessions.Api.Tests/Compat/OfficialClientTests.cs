using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// A host on a real loopback port (node cannot reach a TestServer) whose users keep up to 120 sessions, so that
/// WorkOS' auto-pagination — pages of 100 — has more than one page; it records the <c>X-Request-ID</c> of every
/// answer it sends.
/// </summary>
public sealed class OfficialClientFactory : OwnClockApiFactory
{
    public sealed record Sent(string Path, int Status, string? RequestId);

    public ConcurrentQueue<Sent> Answers { get; } = new();

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sessions:MaxSessionsPerUser"] = "120",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new RecordAnswers(Answers)));
    }

    private sealed class RecordAnswers(ConcurrentQueue<Sent> answers) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, call) =>
            {
                context.Response.OnStarting(() =>
                {
                    answers.Enqueue(new Sent(context.Request.Path, context.Response.StatusCode, context.Response.Headers["X-Request-ID"].SingleOrDefault()));
                    return Task.CompletedTask;
                });
                await call(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// WorkOS' official Node client (<c>@workos-inc/node</c>, tests/clients/workos.mjs) against the service: what its
/// <c>listSessions</c> (one page, page by page, auto-pagination) and <c>revokeSession</c> return, and the errors it
/// raises. Rocket.Chat's <c>@rocket.chat/sdk</c> is not driven: docs/compatibility.md says why.
/// </summary>
public sealed class OfficialClientTests(OfficialClientFactory factory) : IClassFixture<OfficialClientFactory>
{
    private const string WorkOsPackage = "@workos-inc/node";

    private Task<JsonElement> WorkOsAsync(object[] steps, string apiKey = SessionsApiFactory.BootstrapKey, string? requestId = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["WORKOS_BASE_URL"] = factory.CreateClient().BaseAddress!.ToString(),
            ["WORKOS_API_KEY"] = apiKey,
        };
        if (requestId is not null)
        {
            environment["WORKOS_REQUEST_ID"] = requestId;
        }

        return OfficialClients.RunAsync("workos.mjs", WorkOsPackage, environment, steps);
    }

    private static string WorkOsId(SeedUser user, int index) => "session_" + user.SessionId(index);

    private static List<string> Ids(JsonElement sessions) => [.. sessions.EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static JsonElement Result(JsonElement results, int step)
    {
        var outcome = results[step];
        Assert.True(outcome.TryGetProperty("result", out var result), $"step {step} raised {outcome}");
        return result;
    }

    private static JsonElement Error(JsonElement results, int step)
    {
        var outcome = results[step];
        Assert.True(outcome.TryGetProperty("error", out var error), $"step {step} did not raise an error: {outcome}");
        return error;
    }

    /// <summary>Each page of a walk: its ids (comma-separated), and its list metadata as (before, after).</summary>
    private static List<(string Ids, string? Before, string? After)> Pages(JsonElement walk) =>
        [.. walk.EnumerateArray().Select(p => (
            string.Join(",", Ids(p.GetProperty("data"))),
            p.GetProperty("listMetadata").GetProperty("before").GetString(),
            p.GetProperty("listMetadata").GetProperty("after").GetString()))];

    [Fact]
    public async Task Auto_pagination_returns_every_active_session_in_the_order_asked_across_pages()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 105);
        var newestFirst = Enumerable.Range(0, 105).Reverse().Select(i => WorkOsId(user, i)).ToList();

        var results = await WorkOsAsync(
        [
            new { op = "all", userId = user.UserId },
            new { op = "all", userId = user.UserId, options = new { order = "asc" } },
            new { op = "all", userId = user.UserId, options = new { order = "normal" } },
            new { op = "all", userId = user.UserId, options = new { order = "normal", after = WorkOsId(user, 3) } },
        ]);

        Assert.Equal(newestFirst, Ids(Result(results, 0)));
        Assert.Equal(Enumerable.Reverse(newestFirst), Ids(Result(results, 1)));
        // 'normal' shows the newest first but names newer pages 'after', which auto-pagination follows: from the
        // newest page there is none; from an old session it climbs to the newest, each page newest first.
        Assert.Equal(newestFirst.Take(100), Ids(Result(results, 2)));
        Assert.Equal(
            Enumerable.Range(4, 100).Reverse().Concat(Enumerable.Range(104, 1)).Select(i => WorkOsId(user, i)),
            Ids(Result(results, 3)));
    }

    [Fact]
    public async Task Pages_follow_before_and_after_in_every_order()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 7);
        string Id(params int[] indexes) => string.Join(",", indexes.Select(i => WorkOsId(user, i)));

        var results = await WorkOsAsync(
        [
            new { op = "walk", userId = user.UserId, follow = "after", options = new { limit = 3 } },
            new { op = "walk", userId = user.UserId, follow = "before", options = new { limit = 3, before = WorkOsId(user, 0) } },
            new { op = "walk", userId = user.UserId, follow = "after", options = new { limit = 3, order = "asc" } },
            new { op = "walk", userId = user.UserId, follow = "before", options = new { limit = 3, order = "normal" } },
            new { op = "walk", userId = user.UserId, follow = "after", options = new { limit = 3, order = "normal", after = WorkOsId(user, 0) } },
        ]);

        Assert.Equal([(Id(6, 5, 4), null, WorkOsId(user, 4)), (Id(3, 2, 1), WorkOsId(user, 3), WorkOsId(user, 1)), (Id(0), WorkOsId(user, 0), null)], Pages(Result(results, 0)));
        Assert.Equal([Id(3, 2, 1), Id(6, 5, 4)], Pages(Result(results, 1)).Select(p => p.Ids));
        Assert.Equal([Id(0, 1, 2), Id(3, 4, 5), Id(6)], Pages(Result(results, 2)).Select(p => p.Ids));
        // 'normal': newest first, 'before' names the older page and 'after' the newer one.
        Assert.Equal([(Id(6, 5, 4), WorkOsId(user, 4), null), (Id(3, 2, 1), WorkOsId(user, 1), WorkOsId(user, 3)), (Id(0), null, WorkOsId(user, 0))], Pages(Result(results, 3)));
        Assert.Equal([Id(3, 2, 1), Id(6, 5, 4)], Pages(Result(results, 4)).Select(p => p.Ids));
    }

    [Fact]
    public async Task Ip_address_is_the_address_the_session_was_created_from()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);
        var sessions = $"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions";
        Assert.Equal(HttpStatusCode.Accepted, (await SeedUser.PostAsync(user.Admin, $"{sessions}/{user.SessionId(0)}/activity", new { ip = "203.0.113.50" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SeedUser.PostAsync(user.Admin, $"{sessions}/{user.SessionId(1)}/sign-ons", new { ip = "203.0.113.51", authMethod = "mfa" })).Status);

        var results = await WorkOsAsync([new { op = "list", userId = user.UserId }]);

        var listed = Result(results, 0).GetProperty("data").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("ipAddress").GetString());
        Assert.Equal("198.51.100.10", listed[WorkOsId(user, 0)]);
        Assert.Equal("198.51.100.11", listed[WorkOsId(user, 1)]);
    }

    [Fact]
    public async Task Revoke_ends_the_session_and_errors_carry_the_request_id_the_service_sent()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 2);
        var mark = factory.Answers.Count;

        var results = await WorkOsAsync(
        [
            new { op = "revoke", sessionId = WorkOsId(user, 0) },
            new { op = "list", userId = user.UserId },
            new { op = "revoke", sessionId = WorkOsId(user, 0) },
        ]);

        Assert.Equal(WorkOsId(user, 0), Result(results, 0).GetProperty("revoked").GetString());
        Assert.Equal([WorkOsId(user, 1)], Ids(Result(results, 1).GetProperty("data")));
        var notFound = Error(results, 2);
        Assert.Equal(("NotFoundException", 404, "entity_not_found"), (notFound.GetProperty("name").GetString(), notFound.GetProperty("status").GetInt32(), notFound.GetProperty("code").GetString()));
        var sent = factory.Answers.Skip(mark).Single(a => a.Path == "/user_management/sessions/revoke" && a.Status == 404);
        Assert.False(string.IsNullOrEmpty(sent.RequestId), "the 404 was sent without X-Request-ID");
        Assert.Equal(sent.RequestId, notFound.GetProperty("requestID").GetString());
    }

    [Fact]
    public async Task A_422_names_the_rule_each_field_broke_and_carries_the_request_id()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        var mark = factory.Answers.Count;

        var results = await WorkOsAsync(
        [
            new { op = "list", userId = user.UserId, options = new { limit = 0, order = "newest", after = "session_nope" } },
            new { op = "revoke", sessionId = user.SessionId(0) },
        ]);

        var list = Error(results, 0);
        Assert.Equal(("UnprocessableEntityException", 422), (list.GetProperty("name").GetString(), list.GetProperty("status").GetInt32()));
        Assert.Equal("The following requirements must be met:\n\tlimit_out_of_range\n\tinvalid_order\n\tinvalid_cursor\n", list.GetProperty("message").GetString());
        Assert.Equal(factory.Answers.Skip(mark).Single(a => a.Path.EndsWith("/sessions", StringComparison.Ordinal) && a.Status == 422).RequestId, list.GetProperty("requestID").GetString());
        var revoke = Error(results, 1);
        Assert.Equal("The following requirement must be met:\n\tinvalid_session_id\n", revoke.GetProperty("message").GetString());
        Assert.Equal(factory.Answers.Skip(mark).Single(a => a.Path == "/user_management/sessions/revoke" && a.Status == 422).RequestId, revoke.GetProperty("requestID").GetString());
    }

    [Fact]
    public async Task A_refused_key_and_a_caller_request_id_reach_the_client_error()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        var mark = factory.Answers.Count;

        var refused = Error(await WorkOsAsync([new { op = "list", userId = user.UserId }], apiKey: "not-a-key"), 0);
        var ownId = Error(await WorkOsAsync([new { op = "revoke", sessionId = "session_" + new string('0', 26) }], requestId: "caller-trace.42"), 0);

        Assert.Equal(("UnauthorizedException", 401), (refused.GetProperty("name").GetString(), refused.GetProperty("status").GetInt32()));
        Assert.Equal(factory.Answers.Skip(mark).Single(a => a.Status == 401).RequestId, refused.GetProperty("requestID").GetString());
        Assert.Equal(("NotFoundException", "caller-trace.42"), (ownId.GetProperty("name").GetString(), ownId.GetProperty("requestID").GetString()));
    }
}
