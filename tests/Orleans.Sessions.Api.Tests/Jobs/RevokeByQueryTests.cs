using System.Net;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Jobs;

/// <summary>
/// Revoke by query (docs/jobs.md): a dry run counts and changes nothing; the run it confirms ends exactly what it
/// counted — each session through its user grain, with its event and audit entry naming the job — and nothing created
/// after the job started; a confirmation of other filters is refused; a job can be cancelled. On a host of the class's
/// own: the tests move session time to put sign-ons before and after a job's cut-off.
/// </summary>
public sealed class RevokeByQueryTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    [Fact]
    public async Task A_dry_run_counts_what_the_confirmed_run_then_ends_and_the_events_and_audit_name_the_job()
    {
        var admin = factory.CreateClient();
        var tenant = "jobs-" + Guid.NewGuid().ToString("N")[..8];
        var kiosk = new List<(ApiClient User, string Id)>();
        var other = new List<(ApiClient User, string Id)>();
        for (var u = 0; u < 12; u++)
        {
            var user = new ApiClient(admin, tenant);
            kiosk.Add((user, (await user.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"))).Str("id")));
            other.Add((user, (await user.SignOnAsync(ApiClient.SignOnBody(clientId: "web"))).Str("id")));
            if (u % 3 == 0)
            {
                kiosk.Add((user, (await user.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"))).Str("id")));
            }
        }

        var api = kiosk[0].User;
        await Waiting.WaitForAsync("every session in the directory", async () =>
            (await api.GetAsync($"/v1/tenants/{tenant}/sessions/count")).Body.GetProperty("total").GetInt32() == kiosk.Count + other.Count, TimeSpan.FromSeconds(10));

        var (dryStatus, dry) = await api.PostAsync($"/v1/tenants/{tenant}/sessions/revoke?clientId=kiosk", new { reason = "kiosk compromised", dryRun = true });
        Assert.Equal(HttpStatusCode.OK, dryStatus);
        Assert.Equal(kiosk.Count, dry.GetProperty("matched").GetInt64());
        Assert.Equal(10, dry.GetProperty("sample").GetArrayLength());
        Assert.All(dry.GetProperty("sample").EnumerateArray(), s => Assert.Contains("kiosk", s.GetProperty("clientIds").EnumerateArray().Select(c => c.GetString())));
        foreach (var session in kiosk.Concat(other))
        {
            Assert.Equal("active", await StatusAsync(session));
        }

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var (started, job) = await api.PostAsync($"/v1/tenants/{tenant}/sessions/revoke?clientId=kiosk", new { reason = "kiosk compromised", confirmation = dry.Str("confirmation") });
        Assert.Equal(HttpStatusCode.Accepted, started);
        var jobId = job.Str("id");
        Assert.Equal(kiosk.Count, job.GetProperty("confirmedCount").GetInt64());

        // Signed on after the job started: past its cut-off, not ended.
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var late = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "kiosk"))).Str("id");

        var done = await CompletedAsync(api, tenant, jobId);
        Assert.Equal((kiosk.Count, kiosk.Count, 0L, 0L), (done.GetProperty("matched").GetInt64(), done.GetProperty("ended").GetInt64(), done.GetProperty("skipped").GetInt64(), done.GetProperty("failed").GetInt64()));
        Assert.Equal(done.GetProperty("shards").GetInt32(), done.GetProperty("shardsDone").GetInt32());
        foreach (var (user, id) in kiosk)
        {
            var (_, session) = await user.GetAsync($"{user.Sessions}/{id}");
            Assert.Equal(("revoked", "bootstrap", "kiosk compromised"), (session.Str("status"), session.GetProperty("end").Str("by"), session.GetProperty("end").Str("reason")));
        }

        foreach (var session in other)
        {
            Assert.Equal("active", await StatusAsync(session));
        }
        Assert.Equal("active", (await api.GetAsync($"{api.Sessions}/{late}")).Body.Str("status"));

        // One session.revoked event and one audit entry per session ended, each naming the job.
        var revoked = (await api.GetAsync($"/v1/tenants/{tenant}/events?type=session.revoked&limit=1000")).Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(kiosk.Select(k => k.Id).Order(), revoked.Select(e => e.Str("sessionId")).Order());
        var audit = (await api.GetAsync($"/v1/tenants/{tenant}/audit?kind=revoke-by-query&limit=1000")).Body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(revoked.Select(e => e.Str("id")).Order(), audit.Select(e => e.Str("id")).Order());
        Assert.All(audit, e => Assert.Equal(($"jobs/{jobId}", "bootstrap", "kiosk compromised"), (e.Str("target"), e.Str("actor"), e.Str("reason"))));
        var adminEntry = Assert.Single((await api.GetAsync($"/v1/tenants/{tenant}/audit?kind=admin")).Body.GetProperty("items").EnumerateArray(), e => e.Str("operation") == "RevokeSessionsByQuery" && e.Str("target") == $"jobs/{jobId}");
        Assert.Equal("bootstrap", adminEntry.Str("actor"));
    }

    [Fact]
    public async Task A_run_without_the_confirmation_of_its_own_filters_is_refused_and_ends_nothing()
    {
        var api = new ApiClient(factory.CreateClient());
        var web = (await api.SignOnAsync(ApiClient.SignOnBody(clientId: "web"))).Str("id");
        var path = $"/v1/tenants/{api.Tenant}/sessions/revoke";
        var (_, dry) = await api.PostAsync($"{path}?clientId=kiosk", new { reason = "r", dryRun = true });
        Assert.Equal(0, dry.GetProperty("matched").GetInt64());

        var (mismatch, problem) = await api.PostAsync($"{path}?clientId=web", new { reason = "r", confirmation = dry.Str("confirmation") });
        Assert.Equal(HttpStatusCode.Conflict, mismatch);
        JsonAssert.IsProblem(problem, "confirmation-mismatch");
        var (missing, missingProblem) = await api.PostAsync(path, new { reason = "r" });
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        JsonAssert.HasErrorFor(missingProblem, "confirmation");
        var (garbage, garbageProblem) = await api.PostAsync(path, new { reason = "r", confirmation = "abcd" });
        Assert.Equal(HttpStatusCode.BadRequest, garbage);
        JsonAssert.HasErrorFor(garbageProblem, "confirmation");
        var (noReason, noReasonProblem) = await api.PostAsync(path, new { dryRun = true });
        Assert.Equal(HttpStatusCode.BadRequest, noReason);
        JsonAssert.HasErrorFor(noReasonProblem, "reason");

        Assert.Equal("active", (await api.GetAsync($"{api.Sessions}/{web}")).Body.Str("status"));
        Assert.Empty((await api.GetAsync($"/v1/tenants/{api.Tenant}/events?type=session.revoked")).Body.GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/v1/tenants/{api.Tenant}/jobs/job_01KAQ7B3JY5C8N1W3F6H9KQ2TZ")).Status);
    }

    [Fact]
    public async Task A_cancelled_job_stops_and_says_who_cancelled_it()
    {
        var api = new ApiClient(factory.CreateClient());
        await api.SignOnAsync();
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        var path = $"/v1/tenants/{api.Tenant}/sessions/revoke?userId={api.UserId}";
        var (_, dry) = await api.PostAsync(path, new { reason = "r", dryRun = true });
        var (_, job) = await api.PostAsync(path, new { reason = "r", confirmation = dry.Str("confirmation") });
        var (status, cancelled) = await api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{api.Tenant}/jobs/{job.Str("id")}"));
        Assert.Equal(HttpStatusCode.OK, status);

        // Cancelled, or completed first (a job of one session may finish before the cancel comes): either way it stays so.
        Assert.Contains(cancelled.Str("status"), new[] { "cancelled", "completed" });
        if (cancelled.Str("status") == "cancelled")
        {
            Assert.Equal("bootstrap", cancelled.Str("cancelledBy"));
        }

        Assert.Equal(cancelled.GetRawText(), (await api.GetAsync($"/v1/tenants/{api.Tenant}/jobs/{job.Str("id")}")).Body.GetRawText());
    }

    private static async Task<string> StatusAsync((ApiClient User, string Id) session) =>
        (await session.User.GetAsync($"{session.User.Sessions}/{session.Id}")).Body.Str("status");

    private static async Task<JsonElement> CompletedAsync(ApiClient api, string tenant, string jobId)
    {
        JsonElement job = default;
        await Waiting.WaitForAsync($"job {jobId} to complete", async () =>
            (job = (await api.GetAsync($"/v1/tenants/{tenant}/jobs/{jobId}")).Body).Str("status") == "completed", TimeSpan.FromSeconds(30));
        return job;
    }
}
