using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class UserSessionsApiTests(SessionsApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

    [Fact]
    public async Task Sign_on_answers_201_with_the_session_its_token_and_its_location()
    {
        using var response = await _api.Http.PostAsJsonAsync(_api.Sessions, ApiClient.SignOnBody(clientId: "web"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var session = body.GetProperty("session");
        Assert.StartsWith("sst_", body.Str("token"), StringComparison.Ordinal);
        Assert.Equal("active", session.Str("status"));
        Assert.Equal(_api.Tenant, session.Str("tenant"));
        Assert.Equal(_api.UserId, session.Str("userId"));
        Assert.Equal(["web"], session.GetProperty("clientIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", session.Str("createdAt"));
        Assert.Equal($"{_api.Sessions}/{session.Str("id")}", response.Headers.Location!.OriginalString);

        var (status, fetched) = await _api.GetAsync(response.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(session.Str("id"), fetched.Str("id"));
        Assert.False(fetched.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task Sign_on_normalizes_ipv4_mapped_addresses_and_truncates_long_user_agents()
    {
        var session = await _api.SignOnAsync(new { ip = "::ffff:198.51.100.4", userAgent = new string('a', 5000), authMethod = "sso" });

        Assert.Equal("198.51.100.4", session.GetProperty("lastSignOn").Str("ip"));
        Assert.Equal(1024, session.GetProperty("device").Str("userAgent").Length);
    }

    [Fact]
    public async Task An_explicit_location_is_kept()
    {
        var session = await _api.SignOnAsync(new
        {
            ip = "203.0.113.5",
            userAgent = "curl/8.0",
            authMethod = "api",
            location = new { city = "Lyon", region = "Auvergne-Rhône-Alpes", country = "France", countryCode = "fr", latitude = 45.76, longitude = 4.84 },
        });

        var location = session.GetProperty("locations")[0];
        Assert.Equal(("Lyon", "FR", "203.0.113.5"), (location.Str("city"), location.Str("countryCode"), location.Str("ip")));
        Assert.Equal(45.76, location.GetProperty("latitude").GetDouble());
    }

    public static TheoryData<string, string[]> InvalidSignOns => new()
    {
        { """{}""", ["ip", "userAgent", "authMethod"] },
        { """{"ip":"300.1.1.1","userAgent":"x","authMethod":"password"}""", ["ip"] },
        { """{"ip":"fe80::1%eth0","userAgent":"x","authMethod":"password"}""", ["ip"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"  "}""", ["authMethod"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"otp\u0000"}""", ["authMethod"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"a-very-long-auth-method-name-over-32"}""", ["authMethod"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","clientId":"has space"}""", ["clientId"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","host":"bad/host"}""", ["host"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","organizationId":"org#1","populationId":""}""", ["organizationId", "populationId"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","impersonator":{"email":"nobody"}}""", ["impersonator.email"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","impersonator":{"email":"a@b\u007f"}}""", ["impersonator.email"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","impersonator":{"email":"@example.com"}}""", ["impersonator.email"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","expiresIn":5,"idleTimeout":999999999999}""", ["expiresIn", "idleTimeout"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","location":{"countryCode":"FRA","latitude":91,"longitude":-181}}""", ["location.countryCode", "location.latitude", "location.longitude"] },
        { """{"ip":"10.0.0.1","userAgent":"x","authMethod":"sso","clientHints":{"X-Forwarded-For":"1.2.3.4"}}""", ["clientHints"] },
        { """{"ip":"10.0.0.1","userAgent":"bad\u0001ua","authMethod":"sso","displayName":"line\nbreak"}""", ["userAgent", "displayName"] },
    };

    [Theory]
    [MemberData(nameof(InvalidSignOns))]
    public async Task Invalid_sign_ons_are_400_with_the_fields_named_and_change_nothing(string body, string[] fields)
    {
        var (status, problem) = await _api.PostRawAsync(_api.Sessions, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.HasErrorFor(problem, fields);
        Assert.Empty(await _api.ListAllAsync());
    }

    [Theory]
    [InlineData("""{"ip":""", "bad-request")]
    [InlineData("""{"ip":42,"userAgent":"x","authMethod":"sso"}""", "bad-request")]
    [InlineData("""[]""", "bad-request")]
    [InlineData("", "bad-request")]
    public async Task Unreadable_bodies_are_400_problems(string body, string type)
    {
        var (status, problem) = await _api.PostRawAsync(_api.Sessions, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.IsProblem(problem, type);
        Assert.Empty(await _api.ListAllAsync());
    }

    [Fact]
    public async Task Auth_methods_are_free_text_up_to_32_characters()
    {
        var session = await _api.SignOnAsync(new { ip = "10.0.0.1", userAgent = "x", authMethod = "Magic Link+OTP" });

        Assert.Equal("Magic Link+OTP", session.Str("authMethod"));
    }

    [Fact]
    public async Task A_chunked_body_over_64_KiB_is_413_with_the_same_problem()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _api.Sessions)
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(
                $$"""{"ip":"10.0.0.1","authMethod":"sso","userAgent":"{{new string('x', 70_000)}}"}"""))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TransferEncodingChunked = true;

        var (status, problem) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        JsonAssert.IsProblem(problem, "body-too-large");
        Assert.Empty(await _api.ListAllAsync());
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_413()
    {
        var (status, problem) = await _api.PostAsync(_api.Sessions, new { ip = "10.0.0.1", userAgent = new string('x', 70_000), authMethod = "sso" });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        JsonAssert.IsProblem(problem, "body-too-large");
        Assert.Empty(await _api.ListAllAsync());
    }

    [Theory]
    [InlineData("/v1/tenants/bad%20tenant/users/u1/sessions", "tenant")]
    [InlineData("/v1/tenants/acme/users/%C3%A9l%C3%A8ve/sessions", "userId")]
    public async Task Ids_outside_the_allowed_alphabet_are_400(string path, string field)
    {
        var (postStatus, postProblem) = await _api.PostAsync(path, ApiClient.SignOnBody());
        var (getStatus, getProblem) = await _api.GetAsync(path);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (postStatus, getStatus));
        JsonAssert.HasErrorFor(postProblem, field);
        JsonAssert.HasErrorFor(getProblem, field);
    }

    [Fact]
    public async Task A_user_id_of_129_characters_is_400_and_of_128_is_fine()
    {
        var tooLong = new string('u', 129);
        var (status, problem) = await _api.GetAsync($"/v1/tenants/acme/users/{tooLong}/sessions");
        var (okStatus, _) = await _api.GetAsync($"/v1/tenants/acme/users/{tooLong[..128]}/sessions");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        JsonAssert.HasErrorFor(problem, "userId");
        Assert.Equal(HttpStatusCode.OK, okStatus);
    }

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

    [Fact]
    public async Task Unknown_sessions_are_404_and_malformed_ids_400()
    {
        const string unknown = "01JDX3ZQ6K7N8P9R0S1T2V3W4X";
        var (status, problem) = await _api.GetAsync($"{_api.Sessions}/{unknown}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        JsonAssert.IsProblem(problem, "session-not-found");

        foreach (var action in new[] { "sign-out", "revoke", "activity", "sign-ons" })
        {
            var body = action == "sign-ons" ? new { ip = "10.0.0.1", authMethod = "mfa" } : null;
            var (actionStatus, actionProblem) = await _api.PostAsync($"{_api.Sessions}/{unknown}/{action}", body);
            Assert.True(actionStatus == HttpStatusCode.NotFound, $"{action} answered {actionStatus}");
            JsonAssert.IsProblem(actionProblem, "session-not-found");
        }

        var (badStatus, badProblem) = await _api.GetAsync($"{_api.Sessions}/not-a-ulid");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        JsonAssert.HasErrorFor(badProblem, "sessionId");
    }

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
        Assert.Equal("ended", problem.Str("status"));
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
        Assert.Equal("expired", problem.Str("status"));
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

    [Theory]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task A_credential_that_is_not_valid_is_401_and_changes_nothing(string authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _api.Sessions) { Content = System.Net.Http.Json.JsonContent.Create(ApiClient.SignOnBody()) };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _api.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Empty(await _api.ListAllAsync());
    }

    [Fact]
    public async Task The_bootstrap_key_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _api.Sessions);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey);

        var (status, _) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
