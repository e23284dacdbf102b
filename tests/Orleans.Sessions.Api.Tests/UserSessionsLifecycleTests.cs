using System.Net;
using System.Net.Http.Headers;

namespace Orleans.Sessions.Api.Tests;

/// <summary>A session's life after sign-on: re-authentication, activity, idle expiry on the clock, sign-out and revocation.</summary>
public sealed class UserSessionsLifecycleTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Re_authentication_adds_a_sign_on_and_is_refused_once_the_session_ended()
    {
        var session = await _api.SignOnAsync();
        var path = $"{_api.Sessions}/{session.Str("id")}";

        var (status, updated) = await _api.PostAsync(path + "/sign-ons", new { ip = "198.51.100.20", authMethod = "mfa" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["mfa", "password"], updated.GetProperty("signOns").EnumerateArray().Select(s => s.Str("method")));
        Assert.Equal("198.51.100.20", updated.GetProperty("locations")[0].Str("ip"));

        var (invalidStatus, invalid) = await _api.PostAsync(path + "/sign-ons", new { ip = "nope" });
        Assert.Equal(HttpStatusCode.BadRequest, invalidStatus);
        JsonAssert.HasErrorFor(invalid, "ip", "authMethod");

        await _api.PostAsync(path + "/sign-out", null);
        var (endedStatus, problem) = await _api.PostAsync(path + "/sign-ons", new { ip = "198.51.100.20", authMethod = "mfa" });
        Assert.Equal(HttpStatusCode.Conflict, endedStatus);
        JsonAssert.IsProblem(problem, "session-not-active");
        Assert.Equal(("ended", 409), (problem.Str("sessionStatus"), problem.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task Activity_is_202_and_moves_active_at_idle_expiry_and_location()
    {
        var session = await _api.SignOnAsync(ApiClient.SignOnBody(ip: "192.0.2.1"));
        var path = $"{_api.Sessions}/{session.Str("id")}/activity";
        factory.Clock.Advance(TimeSpan.FromMinutes(5));

        var (status, updated) = await _api.PostAsync(path, new { ip = "192.0.2.2", clientId = "desktop" });
        var (emptyStatus, _) = await _api.PostAsync(path, null);
        var (badStatus, bad) = await _api.PostAsync(path, new { ip = "192.0.2" });

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.BadRequest), (status, emptyStatus, badStatus));
        Assert.True(DateTimeOffset.Parse(updated.Str("activeAt"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.Parse(session.Str("activeAt"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(string.CompareOrdinal(updated.Str("idleExpiresAt"), session.Str("idleExpiresAt")) > 0);
        Assert.Equal(["192.0.2.2", "192.0.2.1"], updated.GetProperty("locations").EnumerateArray().Select(l => l.Str("ip")));
        JsonAssert.HasErrorFor(bad, "ip");
    }

    [Fact]
    public async Task Idle_sessions_expire_on_the_clock_and_refuse_activity()
    {
        var session = await _api.SignOnAsync(ApiClient.SignOnBody(idleTimeout: 60));
        var path = $"{_api.Sessions}/{session.Str("id")}";

        factory.Clock.Advance(TimeSpan.FromSeconds(61));

        var (_, fetched) = await _api.GetAsync(path);
        Assert.Equal("expired", fetched.Str("status"));
        var (status, problem) = await _api.PostAsync(path + "/activity", new { });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(("expired", 409), (problem.Str("sessionStatus"), problem.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task Sign_out_ends_the_session_once()
    {
        var session = await _api.SignOnAsync();
        var path = $"{_api.Sessions}/{session.Str("id")}/sign-out";

        var (status, ended) = await _api.PostAsync(path, null);
        var (againStatus, problem) = await _api.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ended", ended.Str("status"));
        Assert.Equal(("self", "sign-out"), (ended.GetProperty("end").Str("by"), ended.GetProperty("end").Str("reason")));
        Assert.Equal(HttpStatusCode.Conflict, againStatus);
        JsonAssert.IsProblem(problem, "session-not-active");
    }

    [Fact]
    public async Task Revoke_records_who_and_why()
    {
        var session = await _api.SignOnAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_api.Sessions}/{session.Str("id")}/revoke")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { reason = "device lost" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey);

        var (status, revoked) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("revoked", revoked.Str("status"));
        Assert.Equal(("bootstrap", "device lost"), (revoked.GetProperty("end").Str("by"), revoked.GetProperty("end").Str("reason")));

        var (badStatus, bad) = await _api.PostAsync($"{_api.Sessions}/{session.Str("id")}/revoke", new { reason = new string('r', 600) });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        JsonAssert.HasErrorFor(bad, "reason");
    }

    [Fact]
    public async Task Revoke_all_can_keep_one_session()
    {
        var keep = await _api.SignOnAsync();
        var other1 = await _api.SignOnAsync();
        var other2 = await _api.SignOnAsync();

        var (unknownStatus, unknown) = await _api.PostAsync(_api.Sessions + "/revoke", new { exceptSessionId = "01JDX3ZQ6K7N8P9R0S1T2V3W4X" });
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        JsonAssert.IsProblem(unknown, "session-not-found");
        var (badStatus, bad) = await _api.PostAsync(_api.Sessions + "/revoke", new { exceptSessionId = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        JsonAssert.HasErrorFor(bad, "exceptSessionId");
        Assert.Equal(3, (await _api.ListAllAsync("?status=active")).Count);

        var (status, result) = await _api.PostAsync(_api.Sessions + "/revoke", new { reason = "password reset", exceptSessionId = keep.Str("id") });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, result.GetProperty("count").GetInt32());
        Assert.Equal(
            new[] { other1.Str("id"), other2.Str("id") }.Order(),
            result.GetProperty("revoked").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Equal([keep.Str("id")], (await _api.ListAllAsync("?status=active")).Select(s => s.Str("id")));

        var (allStatus, all) = await _api.PostAsync(_api.Sessions + "/revoke", null);
        Assert.Equal(HttpStatusCode.OK, allStatus);
        Assert.Equal(1, all.GetProperty("count").GetInt32());
    }
}
