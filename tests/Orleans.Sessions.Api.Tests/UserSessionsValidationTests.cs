using System.Net;
using System.Net.Http.Headers;

namespace Orleans.Sessions.Api.Tests;

/// <summary>What the user routes refuse (docs/api.md, "Limits"; docs/security.md): invalid or oversized bodies, ids outside the alphabet, unknown sessions; nothing changes.</summary>
[Collection(ApiCollection.Name)]
public sealed class UserSessionsValidationTests(SessionsApiFactory factory)
{
    private readonly ApiClient _api = new(factory.CreateClient());

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
}
