using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// A revoke-by-query job over 20,000 sessions of 2,000 users on the embedded single node, its process killed in the
/// middle (docs/jobs.md, "After a crash"): restarted on the same data, the job goes on by itself and ends every matching
/// session exactly once — one <c>session.revoked</c> event and one audit entry each, the same ids — leaves the others
/// and those signed on after its start, and counts 20,000 ended.
/// </summary>
public sealed class RevokeByQueryRestartTests : IDisposable
{
    private const string Tenant = "bulk";
    private const int Users = 2_000;
    private const int SessionsPerUser = 10;

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task A_job_killed_midway_resumes_and_ends_each_matching_session_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string>
        {
            ["Sessions:DataDirectory"] = _data.Path,
            ["Orleans:ClusterId"] = "bulk-" + Guid.NewGuid().ToString("N")[..8],
            ["Sessions:MaxSessionsPerUser"] = "12",
            // A slower pace than the default, so that the kill comes in the middle.
            ["Sessions:Jobs:RevokesAtOnce"] = "4",
            ["Sessions:Jobs:PageSize"] = "100",
        };
        var clock = Stopwatch.StartNew();
        string jobId;
        var late = new ConcurrentBag<string>();
        await using (var silo = await HostProcess.StartAsync(settings, ct))
        {
            using var client = silo.CreateClient(TimeSpan.FromSeconds(60));
            await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
            {
                for (var u = worker; u < Users; u += 16)
                {
                    for (var i = 0; i < SessionsPerUser; i++)
                    {
                        await SignOnAsync(client, $"user-{u}", "kiosk");
                    }

                    if (u % 4 == 0)
                    {
                        await SignOnAsync(client, $"user-{u}", "web");
                    }
                }
            }, ct)));
            var signedOn = clock.Elapsed;
            await HostProcess.WaitShowingOutputAsync($"the directory to hold {Users * SessionsPerUser} kiosk sessions", async () =>
                await CountAsync(client, "clientId=kiosk") == Users * SessionsPerUser, TimeSpan.FromSeconds(60), silo);

            using var dry = await client.PostAsJsonAsync($"/v1/tenants/{Tenant}/sessions/revoke?clientId=kiosk", new { reason = "bulk", dryRun = true }, ct);
            var confirmation = (await dry.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("confirmation").GetString();
            using var run = await client.PostAsJsonAsync($"/v1/tenants/{Tenant}/sessions/revoke?clientId=kiosk", new { reason = "bulk", confirmation }, ct);
            Assert.Equal(HttpStatusCode.Accepted, run.StatusCode);
            jobId = (await run.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

            // Past the cut-off: kiosk sessions the job must not end.
            for (var i = 0; i < 20; i++)
            {
                late.Add(await SignOnAsync(client, $"late-{i}", "kiosk"));
            }

            await HostProcess.WaitShowingOutputAsync("the job to have ended 3,000 sessions", async () =>
                (await JobAsync(client, jobId)).GetProperty("ended").GetInt64() >= 3_000, TimeSpan.FromSeconds(120), silo);
            var atKill = await JobAsync(client, jobId);
            Assert.Equal("running", atKill.GetProperty("status").GetString());
            silo.Kill();
            TestContext.Current.TestOutputHelper!.WriteLine(
                $"{Users * SessionsPerUser} sign-ons in {signedOn.TotalSeconds:F1} s; killed with {atKill.GetProperty("ended").GetInt64()} ended");
        }

        await using var restarted = await HostProcess.StartAsync(settings, ct);
        using var reader = restarted.CreateClient(TimeSpan.FromSeconds(60));
        JsonElement job = default;
        await HostProcess.WaitShowingOutputAsync("the job to resume and complete", async () =>
            (job = await JobAsync(reader, jobId)).GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(180), restarted);
        Assert.Equal((20_000L, 20_000L, 0L, 0L), (job.GetProperty("matched").GetInt64(), job.GetProperty("ended").GetInt64(), job.GetProperty("skipped").GetInt64(), job.GetProperty("failed").GetInt64()));

        // Exactly once: 20,000 session.revoked events of distinct kiosk sessions, and an audit entry for each, the same ids.
        var events = (await EventFeedReader.ReadAllAsync(reader, Tenant)).Events;
        var revoked = events.Where(e => e.GetProperty("type").GetString() == "session.revoked").ToList();
        Assert.Equal(20_000, revoked.Count);
        Assert.Equal(20_000, revoked.Select(e => e.GetProperty("sessionId").GetString()).Distinct().Count());
        Assert.All(revoked, e => Assert.Equal(jobId, e.GetProperty("data").GetProperty("end").GetProperty("jobId").GetString()));
        var audit = await AuditReader.ReadAllAsync(reader, Tenant, "kind=revoke-by-query");
        Assert.Equal(revoked.Select(e => e.GetProperty("id").GetString()!).Order(StringComparer.Ordinal), audit.Select(e => e.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));

        // The others stay: the web sessions, and the kiosk sessions signed on after the job started. (Shards the job was
        // through before the kill are activated only now, by these queries, and rebuild themselves first.)
        await HostProcess.WaitShowingOutputAsync($"the directory to hold the {Users / 4} web sessions", async () =>
            await CountAsync(reader, "clientId=web") == Users / 4, TimeSpan.FromSeconds(30), restarted);
        Assert.Equal(late.Order(), (await ListAsync(reader, "clientId=kiosk")).Order());
        foreach (var user in new[] { "user-0", "user-4", "user-1996" })
        {
            var sessions = (await reader.GetFromJsonAsync<JsonElement>($"/v1/tenants/{Tenant}/users/{user}/sessions?limit=100", ct)).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(SessionsPerUser, sessions.Count(s => s.GetProperty("status").GetString() == "revoked"));
            Assert.Equal("active", Assert.Single(sessions, s => s.GetProperty("clientIds")[0].GetString() == "web").GetProperty("status").GetString());
        }
    }

    private static async Task<string> SignOnAsync(HttpClient client, string user, string clientId)
    {
        using var response = await client.PostAsJsonAsync(
            $"/v1/tenants/{Tenant}/users/{user}/sessions", new { ip = "203.0.113.80", userAgent = "bulk-test", authMethod = "password", clientId });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"sign-on of {user}: {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("session").GetProperty("id").GetString()!;
    }

    private static async Task<int> CountAsync(HttpClient client, string filter) =>
        (await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/{Tenant}/sessions/count?{filter}")).GetProperty("total").GetInt32();

    private static async Task<List<string>> ListAsync(HttpClient client, string filter) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/{Tenant}/sessions?limit=500&{filter}")).GetProperty("items").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    private static async Task<JsonElement> JobAsync(HttpClient client, string jobId) =>
        await client.GetFromJsonAsync<JsonElement>($"/v1/tenants/{Tenant}/jobs/{jobId}");
}
