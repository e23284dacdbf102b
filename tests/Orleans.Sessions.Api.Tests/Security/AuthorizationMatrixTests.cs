using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>The credentials of the authorization matrix.</summary>
public enum Credential
{
    None,
    WrongSecret,
    Bootstrap,
    WriteRole,
    ReadRole,
    ReadAllRole,
    RevokeRole,
    OtherTenant,
    OtherPopulation,
    AllTenants,
    OwnSessionToken,
    OtherUsersSessionToken,
    RevokedSessionToken,
    ExpiredSessionToken,
    EvictedSessionToken,
}

/// <summary>
/// Every endpoint × every kind of credential → the expected status, from one table. The table must list
/// exactly the endpoints the host maps, so a new endpoint cannot be forgotten; every refused request must
/// leave the user's sessions exactly as they were.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(SessionsApiFactory factory)
{
    /// <summary>Who may call an endpoint: a role of a service credential, or the end user with a session token.</summary>
    private enum Access
    {
        Write,
        Read,
        ReadAll,
        Revoke,
        Self,
    }

    /// <summary>
    /// One endpoint: its route as mapped, who may call it, its success status, what a key limited to another
    /// population gets (its sessions are invisible to that key), what another user's session token gets
    /// (for the end-user routes), and the request, given the user's session.
    /// </summary>
    private sealed record Endpoint(
        string Method,
        string Route,
        Access Access,
        int Success,
        int OtherPopulation,
        int OtherUsersToken,
        Func<MatrixUser, HttpRequestMessage> Request);

    private static readonly object SignOnBody = new { ip = "203.0.113.9", userAgent = "matrix", authMethod = "password", populationId = TestKeys.Population };

    private static readonly Endpoint[] Table =
    [
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/", Access.Write, 201, 403, 403, u => Post(u.Sessions, SignOnBody)),
        new("GET", "/v1/tenants/{tenant}/users/{userId}/sessions/", Access.Read, 200, 200, 403, u => Get(u.Sessions)),
        new("GET", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}", Access.Read, 200, 404, 403, u => Get($"{u.Sessions}/{u.SessionId}")),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/sign-ons", Access.Write, 200, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/sign-ons", new { ip = "203.0.113.10", authMethod = "mfa" })),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/activity", Access.Write, 202, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/activity", new { ip = "203.0.113.11" })),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/sign-out", Access.Write, 200, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/sign-out", null)),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/revoke", Access.Revoke, 200, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/revoke", new { reason = "matrix" })),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/revoke", Access.Revoke, 200, 200, 403, u => Post($"{u.Sessions}/revoke", new { reason = "matrix" })),
        new("GET", "/v1/tenants/{tenant}/sessions/", Access.ReadAll, 200, 200, 403, u => Get($"/v1/tenants/{u.Tenant}/sessions")),
        new("GET", "/v1/tenants/{tenant}/sessions/count", Access.ReadAll, 200, 200, 403, u => Get($"/v1/tenants/{u.Tenant}/sessions/count")),
        new("GET", "/v1/me/sessions/", Access.Self, 200, 403, 200, _ => Get("/v1/me/sessions")),
        new("POST", "/v1/me/sessions/{sessionId}/revoke", Access.Self, 200, 403, 404, u => Post($"/v1/me/sessions/{u.SessionId}/revoke", new { reason = "not me" })),
        new("POST", "/v1/me/sessions/revoke-others", Access.Self, 200, 403, 200, _ => Post("/v1/me/sessions/revoke-others", null)),
    ];

    private readonly HttpClient _http = factory.CreateAnonymousClient();

    public static TheoryData<string, Credential> Cells()
    {
        var data = new TheoryData<string, Credential>();
        foreach (var endpoint in Table)
        {
            foreach (var credential in Enum.GetValues<Credential>())
            {
                data.Add($"{endpoint.Method} {endpoint.Route}", credential);
            }
        }

        return data;
    }

    [Fact]
    public void The_table_lists_exactly_the_endpoints_the_host_maps()
    {
        var mapped = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != "/healthz")
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order()
            .ToList();

        Assert.Equal(Table.Select(e => $"{e.Method} {e.Route}").Order(), mapped);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Endpoint_and_credential_give_the_expected_status(string endpointName, Credential credential)
    {
        var endpoint = Table.Single(e => $"{e.Method} {e.Route}" == endpointName);
        var user = await MatrixUser.CreateAsync(factory);
        var expected = Expected(endpoint, credential);
        var before = await user.SnapshotAsync();

        using var request = endpoint.Request(user);
        await AuthorizeAsync(request, credential, user);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode == expected, $"{endpointName} with {credential}: expected {expected}, got {(int)response.StatusCode} {body}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(before, await user.SnapshotAsync());
        }

        if (expected == 401)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    private static int Expected(Endpoint endpoint, Credential credential)
    {
        var self = endpoint.Access == Access.Self;
        return credential switch
        {
            Credential.None or Credential.WrongSecret or Credential.RevokedSessionToken
                or Credential.ExpiredSessionToken or Credential.EvictedSessionToken => 401,
            Credential.OwnSessionToken => self ? endpoint.Success : 403,
            Credential.OtherUsersSessionToken => self ? endpoint.OtherUsersToken : 403,
            _ when self => 403,
            Credential.Bootstrap or Credential.AllTenants => endpoint.Success,
            Credential.OtherTenant => 403,
            Credential.OtherPopulation => endpoint.OtherPopulation,
            Credential.WriteRole => endpoint.Access == Access.Write ? endpoint.Success : 403,
            Credential.ReadRole => endpoint.Access == Access.Read ? endpoint.Success : 403,
            Credential.ReadAllRole => endpoint.Access == Access.ReadAll ? endpoint.Success : 403,
            Credential.RevokeRole => endpoint.Access == Access.Revoke ? endpoint.Success : 403,
            _ => throw new ArgumentOutOfRangeException(nameof(credential)),
        };
    }

    private async Task AuthorizeAsync(HttpRequestMessage request, Credential credential, MatrixUser user)
    {
        string? secret = credential switch
        {
            Credential.None => null,
            Credential.WrongSecret => SessionsApiFactory.BootstrapKey + "x",
            Credential.Bootstrap => SessionsApiFactory.BootstrapKey,
            Credential.WriteRole => TestKeys.Write.Secret,
            Credential.ReadRole => TestKeys.Read.Secret,
            Credential.ReadAllRole => TestKeys.ReadAll.Secret,
            Credential.RevokeRole => TestKeys.Revoke.Secret,
            Credential.OtherTenant => TestKeys.OtherTenantKey.Secret,
            Credential.OtherPopulation => TestKeys.OtherPopulationKey.Secret,
            Credential.AllTenants => TestKeys.AllTenants.Secret,
            Credential.OwnSessionToken => user.Token,
            Credential.OtherUsersSessionToken => (await MatrixUser.CreateAsync(factory)).Token,
            Credential.RevokedSessionToken => await user.RevokedTokenAsync(),
            Credential.ExpiredSessionToken => await user.ExpiredTokenAsync(),
            Credential.EvictedSessionToken => await user.EvictedTokenAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(credential)),
        };
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, object? body) =>
        new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
}

/// <summary>A fresh user of the keyed tenant with one active session (population <c>pop-a</c>), made with the bootstrap key.</summary>
internal sealed class MatrixUser
{
    private readonly SessionsApiFactory _factory;
    private readonly HttpClient _admin;

    private MatrixUser(SessionsApiFactory factory, HttpClient admin, string userId)
    {
        _factory = factory;
        _admin = admin;
        UserId = userId;
    }

    public string Tenant => TestKeys.Tenant;

    public string UserId { get; }

    public string Sessions => $"/v1/tenants/{Tenant}/users/{UserId}/sessions";

    public string SessionId { get; private set; } = "";

    public string Token { get; private set; } = "";

    public static async Task<MatrixUser> CreateAsync(SessionsApiFactory factory, string? population = TestKeys.Population)
    {
        var user = new MatrixUser(factory, factory.CreateClient(), "m-" + Guid.NewGuid().ToString("N")[..12]);
        (user.SessionId, user.Token) = await user.SignOnAsync(user.UserId, population);
        return user;
    }

    /// <summary>The user's sessions as the bootstrap key sees them, to compare before and after a refused request.</summary>
    public async Task<string> SnapshotAsync() =>
        await _admin.GetStringAsync($"{Sessions}?limit=100", TestContext.Current.CancellationToken);

    /// <summary>The token of another user's session that was revoked.</summary>
    public async Task<string> RevokedTokenAsync()
    {
        var userId = UserId + "-revoked";
        var (sessionId, token) = await SignOnAsync(userId, TestKeys.Population);
        using var revoked = await _admin.PostAsJsonAsync($"/v1/tenants/{Tenant}/users/{userId}/sessions/{sessionId}/revoke", new { reason = "matrix" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        return token;
    }

    /// <summary>The token of another user's session that expired (the session clock moved past its lifetime).</summary>
    public async Task<string> ExpiredTokenAsync()
    {
        var (_, token) = await SignOnAsync(UserId + "-expired", TestKeys.Population, expiresIn: 60);
        _factory.Clock.Advance(TimeSpan.FromSeconds(61));
        return token;
    }

    /// <summary>The token of another user's first session, evicted by ten later sign-ons (the ring holds ten).</summary>
    public async Task<string> EvictedTokenAsync()
    {
        var userId = UserId + "-evicted";
        var (_, token) = await SignOnAsync(userId, TestKeys.Population);
        for (var i = 0; i < 10; i++)
        {
            await SignOnAsync(userId, TestKeys.Population);
        }

        return token;
    }

    private async Task<(string SessionId, string Token)> SignOnAsync(string userId, string? population, int? expiresIn = null)
    {
        using var response = await _admin.PostAsJsonAsync(
            $"/v1/tenants/{Tenant}/users/{userId}/sessions",
            new { ip = "203.0.113.9", userAgent = "matrix", authMethod = "password", populationId = population, expiresIn },
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        return (body.GetProperty("session").GetProperty("id").GetString()!, body.GetProperty("token").GetString()!);
    }
}
