using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Orleans.Sessions.Testing.SessionIdSpellings;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// For one set of sessions, the canonical API and the five seed APIs show the same sessions, at the same
/// times, in the same order (all are newest first by default): one record, six spellings.
/// </summary>
public sealed class SurfaceAgreementTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private sealed record Seen(string Id, DateTimeOffset CreatedAt, string Ip);

    [Fact]
    public async Task Every_surface_shows_the_same_sessions_times_and_order()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 4);
        // One session ended and one re-authenticated from a new address: façades that show only active sessions
        // leave the ended one out; WorkOS and Symphony show the address it was created from, the others the new one.
        Assert.Equal(HttpStatusCode.OK, (await SeedUser.PostAsync(user.Admin, $"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions/{user.SessionId(1)}/revoke", new { reason = "agreement" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SeedUser.PostAsync(user.Admin, $"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions/{user.SessionId(2)}/sign-ons", new { ip = "192.0.2.200", authMethod = "mfa" })).Status);
        await user.WaitForDirectoryAsync(3);
        await WaitForAsync(
            "the directory to show the new address 192.0.2.200",
            async () => (await user.DirectoryListAsync()).GetRawText().Contains("192.0.2.200", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));

        var canonical = Items(await GetAsync(user.Admin, $"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions"), "items")
            .Select(s => new Seen(s.GetProperty("id").GetString()!, s.GetProperty("createdAt").GetDateTimeOffset(), s.GetProperty("locations")[0].GetProperty("ip").GetString()!))
            .ToList();
        var active = canonical.Where(s => s.Id != user.SessionId(1)).ToList();
        Assert.Equal(4, canonical.Count);
        Assert.Equal("192.0.2.200", canonical.Single(s => s.Id == user.SessionId(2)).Ip);

        var createdFrom = active.Select(s => s with { Ip = user.Sessions.Single(c => c.GetProperty("id").GetString() == s.Id).GetProperty("lastSignOn").GetProperty("ip").GetString()! }).ToList();
        Assert.Equal("198.51.100.12", createdFrom.Single(s => s.Id == user.SessionId(2)).Ip);

        var bearer = user.Client(h => h.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey));

        var pingOne = Items(await GetAsync(bearer, $"/v1/environments/{user.Tenant}/users/{user.UserId}/sessions"), "_embedded", "sessions")
            .Select(s => new Seen(FromUuid(s.GetProperty("id").GetString()!), s.GetProperty("createdAt").GetDateTimeOffset(), s.GetProperty("locations")[0].GetProperty("remoteIp").GetString()!));
        Assert.Equal(canonical, pingOne); // PingOne keeps ended sessions too

        var workOs = Items(await GetAsync(bearer, $"/user_management/users/{user.UserId}/sessions"), "data")
            .Select(s => new Seen(FromWorkOs(s.GetProperty("id").GetString()!), s.GetProperty("created_at").GetDateTimeOffset(), s.GetProperty("ip_address").GetString()!));
        Assert.Equal(createdFrom, workOs);

        var symphony = Items(await GetAsync(user.Client(h => h.Add("sessionToken", SessionsApiFactory.BootstrapKey)), $"/pod/v1/users/{user.UserId}/sessions"), "sessions")
            .Select(s => new Seen(s.GetProperty("sessionId").GetString()!, DateTimeOffset.FromUnixTimeMilliseconds(s.GetProperty("creationTime").GetInt64()), s.GetProperty("clientIp").GetString()!));
        Assert.Equal(createdFrom, symphony);

        var rocketChatAdmin = user.Client(h =>
        {
            h.Add("X-User-Id", "bootstrap");
            h.Add("X-Auth-Token", SessionsApiFactory.BootstrapKey);
        });
        var rocketChat = Items(await GetAsync(rocketChatAdmin, "/api/v1/sessions/list.all?filter=" + Uri.EscapeDataString($"^{user.UserName}$")), "sessions")
            .Select(s => new Seen(s.GetProperty("_id").GetString()!, s.GetProperty("loginAt").GetDateTimeOffset(), s.GetProperty("ip").GetString()!));
        Assert.Equal(active, rocketChat);

        var rocketChatOwn = Items(await GetAsync(user.Client(h =>
        {
            h.Add("X-User-Id", user.UserId);
            h.Add("X-Auth-Token", user.Tokens[3]);
        }), "/api/v1/sessions/list"), "sessions")
            .Select(s => new Seen(s.GetProperty("_id").GetString()!, s.GetProperty("loginAt").GetDateTimeOffset(), s.GetProperty("ip").GetString()!));
        Assert.Equal(active, rocketChatOwn);

        var monoCloud = (await GetAsync(user.Client(h => h.Add("X-API-KEY", SessionsApiFactory.BootstrapKey)), $"/api/users/{user.UserId}/sessions")).EnumerateArray()
            .Select(s => new Seen(FromHex(s.GetProperty("session_id").GetString()!), DateTimeOffset.FromUnixTimeSeconds(s.GetProperty("initiated_at").GetInt64()), s.GetProperty("last_metadata").GetProperty("ip_address").GetString()!));
        Assert.Equal(active.Select(s => s with { CreatedAt = DateTimeOffset.FromUnixTimeSeconds(s.CreatedAt.ToUnixTimeSeconds()) }), monoCloud); // whole seconds
    }

    private static List<JsonElement> Items(JsonElement body, params string[] path) =>
        [.. path.Aggregate(body, (node, name) => node.GetProperty(name)).EnumerateArray()];

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var (status, body, _) = await SeedUser.GetAsync(client, path);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {status} {body}");
        return body;
    }
}
