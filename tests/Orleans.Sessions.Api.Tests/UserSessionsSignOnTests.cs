using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests;

/// <summary>Sign-on (docs/api.md): what a new session answers with and keeps.</summary>
[Collection(ApiCollection.Name)]
public sealed class UserSessionsSignOnTests(SessionsApiFactory factory)
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

    [Fact]
    public async Task Auth_methods_are_free_text_up_to_32_characters()
    {
        var session = await _api.SignOnAsync(new { ip = "10.0.0.1", userAgent = "x", authMethod = "Magic Link+OTP" });

        Assert.Equal("Magic Link+OTP", session.Str("authMethod"));
    }
}
