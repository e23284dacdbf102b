using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Testing;

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
    EventsRole,
    AdminRole,
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
public sealed class AuthorizationMatrixTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    /// <summary>
    /// Who may call an endpoint: a role of a service credential; the end user with a session token; or either
    /// (Symphony: a key with the role, or the session token of the user in the path).
    /// </summary>
    private enum Access
    {
        Write,
        Read,
        ReadAll,
        Revoke,
        Events,
        Admin,
        Self,
        ReadOrOwner,
        RevokeOrOwner,
        RevokeAndReadAll,
    }

    /// <summary>How a surface takes its credential.</summary>
    private enum Style
    {
        Bearer,
        SymphonyHeader,
        RocketChatHeaders,
        MonoCloudHeader,
    }

    /// <summary>
    /// One endpoint: its route as mapped, how it takes credentials, who may call it, its success status, what a
    /// key of another tenant gets (a route without a tenant serves that key's own tenant, where the user does not
    /// exist), what a key limited to another population gets (the user's sessions are invisible to it), what
    /// another user's session token gets (on end-user routes), and the request, given the user's session.
    /// </summary>
    private sealed record Endpoint(
        string Method,
        string Route,
        Style Style,
        Access Access,
        int Success,
        int OtherTenant,
        int OtherPopulation,
        int OtherUsersToken,
        Func<MatrixUser, HttpRequestMessage> Request);

    private static readonly object SignOnBody = new { ip = "203.0.113.9", userAgent = "matrix", authMethod = "password", populationId = TestKeys.Population };

    private static readonly Endpoint[] Table =
    [
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/", Style.Bearer, Access.Write, 201, 403, 403, 403, u => Post(u.Sessions, SignOnBody)),
        new("GET", "/v1/tenants/{tenant}/users/{userId}/sessions/", Style.Bearer, Access.Read, 200, 403, 200, 403, u => Get(u.Sessions)),
        new("GET", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}", Style.Bearer, Access.Read, 200, 403, 404, 403, u => Get($"{u.Sessions}/{u.SessionId}")),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/sign-ons", Style.Bearer, Access.Write, 200, 403, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/sign-ons", new { ip = "203.0.113.10", authMethod = "mfa" })),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/activity", Style.Bearer, Access.Write, 202, 403, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/activity", new { ip = "203.0.113.11" })),
        new("PATCH", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}", Style.Bearer, Access.Write, 200, 403, 404, 403, u => new HttpRequestMessage(HttpMethod.Patch, $"{u.Sessions}/{u.SessionId}") { Content = new StringContent("{\"plan\":\"pro\"}", System.Text.Encoding.UTF8, "application/merge-patch+json") }),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/sign-out", Style.Bearer, Access.Write, 200, 403, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/sign-out", null)),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/revoke", Style.Bearer, Access.Revoke, 200, 403, 404, 403, u => Post($"{u.Sessions}/{u.SessionId}/revoke", new { reason = "matrix" })),
        new("POST", "/v1/tenants/{tenant}/users/{userId}/sessions/revoke", Style.Bearer, Access.Revoke, 200, 403, 200, 403, u => Post($"{u.Sessions}/revoke", new { reason = "matrix" })),
        new("GET", "/v1/tenants/{tenant}/sessions/", Style.Bearer, Access.ReadAll, 200, 403, 200, 403, u => Get($"/v1/tenants/{u.Tenant}/sessions")),
        new("GET", "/v1/tenants/{tenant}/sessions/count", Style.Bearer, Access.ReadAll, 200, 403, 200, 403, u => Get($"/v1/tenants/{u.Tenant}/sessions/count")),
        new("GET", "/v1/tenants/{tenant}/events/", Style.Bearer, Access.Events, 200, 403, 200, 403, u => Get($"/v1/tenants/{u.Tenant}/events?userId={u.UserId}")),
        // Webhooks need sessions:admin, which only the admin key and the bootstrap key hold (a documentation address: valid, never reached).
        new("POST", "/v1/tenants/{tenant}/webhooks/", Style.Bearer, Access.Admin, 201, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/webhooks", new { url = "https://203.0.113.1/hooks", enabled = false })),
        new("GET", "/v1/tenants/{tenant}/webhooks/", Style.Bearer, Access.Admin, 200, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/webhooks")),
        new("GET", "/v1/tenants/{tenant}/webhooks/{webhookId}", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/webhooks/ep_none")),
        new("PATCH", "/v1/tenants/{tenant}/webhooks/{webhookId}", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Patch, $"/v1/tenants/{u.Tenant}/webhooks/ep_none") { Content = JsonContent.Create(new { enabled = false }) }),
        new("DELETE", "/v1/tenants/{tenant}/webhooks/{webhookId}", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{u.Tenant}/webhooks/ep_none")),
        new("POST", "/v1/tenants/{tenant}/webhooks/{webhookId}/rotate-secret", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/webhooks/ep_none/rotate-secret", null)),
        new("POST", "/v1/tenants/{tenant}/webhooks/{webhookId}/redeliver", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/webhooks/ep_none/redeliver", new { eventId = "01ARZ3NDEKTSV4RRFFQ69G5FAV" })),
        new("GET", "/v1/tenants/{tenant}/webhooks/{webhookId}/deliveries", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/webhooks/ep_none/deliveries")),
        new("GET", "/v1/tenants/{tenant}/keys/", Style.Bearer, Access.Admin, 200, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/keys")),
        new("POST", "/v1/tenants/{tenant}/keys/rotate", Style.Bearer, Access.Admin, 200, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/keys/rotate", new { overlapSeconds = 60 })),
        new("POST", "/v1/tenants/{tenant}/clients/", Style.Bearer, Access.Admin, 201, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/clients", new { clientId = "app-" + Guid.NewGuid().ToString("N"), backchannelLogoutUri = "https://203.0.113.1/logout", enabled = false })),
        new("GET", "/v1/tenants/{tenant}/clients/", Style.Bearer, Access.Admin, 200, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/clients")),
        new("GET", "/v1/tenants/{tenant}/clients/{clientId}", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/clients/none")),
        new("PATCH", "/v1/tenants/{tenant}/clients/{clientId}", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Patch, $"/v1/tenants/{u.Tenant}/clients/none") { Content = JsonContent.Create(new { enabled = false }) }),
        new("DELETE", "/v1/tenants/{tenant}/clients/{clientId}", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{u.Tenant}/clients/none")),
        new("GET", "/v1/tenants/{tenant}/clients/{clientId}/deliveries", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/clients/none/deliveries")),
        new("GET", "/v1/tenants/{tenant}/policy/", Style.Bearer, Access.Admin, 200, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/policy")),
        new("PUT", "/v1/tenants/{tenant}/policy/", Style.Bearer, Access.Admin, 412, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{u.Tenant}/policy") { Content = JsonContent.Create(new { }), Headers = { { "If-Match", "\"999999\"" } } }),
        new("GET", "/v1/tenants/{tenant}/audit/", Style.Bearer, Access.Admin, 200, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/audit")),
        new("POST", "/v1/tenants/{tenant}/sessions/revoke/", Style.Bearer, Access.RevokeAndReadAll, 200, 403, 200, 403, u => Post($"/v1/tenants/{u.Tenant}/sessions/revoke?userId={u.UserId}", new { reason = "matrix", dryRun = true })),
        new("GET", "/v1/tenants/{tenant}/jobs/{jobId}", Style.Bearer, Access.RevokeAndReadAll, 404, 403, 404, 403, u => Get($"/v1/tenants/{u.Tenant}/jobs/job_01KAQ7B3JY5C8N1W3F6H9KQ2TZ")),
        new("DELETE", "/v1/tenants/{tenant}/jobs/{jobId}", Style.Bearer, Access.RevokeAndReadAll, 404, 403, 404, 403, u => new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{u.Tenant}/jobs/job_01KAQ7B3JY5C8N1W3F6H9KQ2TZ")),
        new("POST", "/v1/tenants/{tenant}/ssf/streams", Style.Bearer, Access.Admin, 201, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/ssf/streams", new { delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "https://203.0.113.1/ssf" } })),
        new("GET", "/v1/tenants/{tenant}/ssf/streams", Style.Bearer, Access.Admin, 200, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/ssf/streams")),
        new("PATCH", "/v1/tenants/{tenant}/ssf/streams", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Patch, $"/v1/tenants/{u.Tenant}/ssf/streams") { Content = JsonContent.Create(new { stream_id = "st_none", description = "x" }) }),
        new("PUT", "/v1/tenants/{tenant}/ssf/streams", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{u.Tenant}/ssf/streams") { Content = JsonContent.Create(new { stream_id = "st_none", delivery = new { method = "urn:ietf:rfc:8935", endpoint_url = "https://203.0.113.1/ssf" } }) }),
        new("DELETE", "/v1/tenants/{tenant}/ssf/streams", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => new HttpRequestMessage(HttpMethod.Delete, $"/v1/tenants/{u.Tenant}/ssf/streams?stream_id=st_none")),
        new("GET", "/v1/tenants/{tenant}/ssf/status", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Get($"/v1/tenants/{u.Tenant}/ssf/status?stream_id=st_none")),
        new("POST", "/v1/tenants/{tenant}/ssf/status", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/ssf/status", new { stream_id = "st_none", status = "paused" })),
        new("POST", "/v1/tenants/{tenant}/ssf/subjects/add", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/ssf/subjects/add", new { stream_id = "st_none", subject = new { format = "opaque", id = "x" } })),
        new("POST", "/v1/tenants/{tenant}/ssf/subjects/remove", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/ssf/subjects/remove", new { stream_id = "st_none", subject = new { format = "opaque", id = "x" } })),
        new("POST", "/v1/tenants/{tenant}/ssf/streams/{stream_id}/poll", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/ssf/streams/st_none/poll", new { returnImmediately = true })),
        new("POST", "/v1/tenants/{tenant}/ssf/verify", Style.Bearer, Access.Admin, 404, 403, 403, 403, u => Post($"/v1/tenants/{u.Tenant}/ssf/verify", new { stream_id = "st_none" })),
        new("GET", "/v1/me/sessions/", Style.Bearer, Access.Self, 200, 403, 403, 200, _ => Get("/v1/me/sessions")),
        new("POST", "/v1/me/sessions/{sessionId}/revoke", Style.Bearer, Access.Self, 200, 403, 403, 404, u => Post($"/v1/me/sessions/{u.SessionId}/revoke", new { reason = "not me" })),
        new("POST", "/v1/me/sessions/revoke-others", Style.Bearer, Access.Self, 200, 403, 403, 200, _ => Post("/v1/me/sessions/revoke-others", null)),

        new("GET", "/pod/v1/users/{uid}/sessions/", Style.SymphonyHeader, Access.ReadOrOwner, 200, 204, 204, 403, u => Get($"/pod/v1/users/{u.UserId}/sessions")),
        new("POST", "/pod/v1/users/{uid}/sessions/{sid}/logout", Style.SymphonyHeader, Access.RevokeOrOwner, 200, 404, 404, 403, u => Post($"/pod/v1/users/{u.UserId}/sessions/{u.SessionId}/logout", null)),
        new("POST", "/pod/v1/users/{uid}/sessions/logout", Style.SymphonyHeader, Access.RevokeOrOwner, 200, 200, 200, 403, u => Post($"/pod/v1/users/{u.UserId}/sessions/logout", null)),

        new("GET", "/v1/environments/{envID}/users/{userID}/sessions/", Style.Bearer, Access.Read, 200, 403, 200, 403, u => Get($"/v1/environments/{u.Tenant}/users/{u.UserId}/sessions")),
        new("GET", "/v1/environments/{envID}/users/{userID}/sessions/{sessionID}", Style.Bearer, Access.Read, 200, 403, 404, 403, u => Get($"/v1/environments/{u.Tenant}/users/{u.UserId}/sessions/{u.Uuid}")),
        new("DELETE", "/v1/environments/{envID}/users/{userID}/sessions/{sessionID}", Style.Bearer, Access.Revoke, 204, 403, 404, 403, u => new HttpRequestMessage(HttpMethod.Delete, $"/v1/environments/{u.Tenant}/users/{u.UserId}/sessions/{u.Uuid}")),

        new("GET", "/user_management/users/{id}/sessions", Style.Bearer, Access.Read, 200, 200, 200, 403, u => Get($"/user_management/users/{u.UserId}/sessions")),
        new("POST", "/user_management/sessions/revoke", Style.Bearer, Access.Revoke, 200, 404, 404, 403, u => Post("/user_management/sessions/revoke", new { session_id = SessionIdSpellings.ToWorkOs(u.SessionId) })),

        new("GET", "/api/v1/sessions/list.all", Style.RocketChatHeaders, Access.ReadAll, 200, 200, 200, 403, _ => Get("/api/v1/sessions/list.all")),
        new("POST", "/api/v1/sessions/logout", Style.RocketChatHeaders, Access.Revoke, 200, 404, 404, 403, u => Post("/api/v1/sessions/logout", new { sessionId = u.SessionId })),
        new("GET", "/api/v1/sessions/list", Style.RocketChatHeaders, Access.Self, 200, 403, 403, 200, _ => Get("/api/v1/sessions/list")),
        new("GET", "/api/v1/sessions/info", Style.RocketChatHeaders, Access.Self, 200, 403, 403, 404, u => Get($"/api/v1/sessions/info?sessionId={u.SessionId}")),
        new("POST", "/api/v1/sessions/logout.me", Style.RocketChatHeaders, Access.Self, 200, 403, 403, 404, u => Post("/api/v1/sessions/logout.me", new { sessionId = u.SessionId })),

        new("GET", "/api/users/{user_id}/sessions/", Style.MonoCloudHeader, Access.Read, 200, 200, 200, 403, u => Get($"/api/users/{u.UserId}/sessions")),
        new("DELETE", "/api/users/{user_id}/sessions/{session_id}", Style.MonoCloudHeader, Access.Revoke, 204, 404, 404, 403, u => new HttpRequestMessage(HttpMethod.Delete, $"/api/users/{u.UserId}/sessions/{u.Hex}")),
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

    // The dashboard is guarded by its own middleware (an operator's key, DashboardTests), not by an authorization policy;
    // the console's pages check their own cookie (the end user's session token: Console/ConsoleMeTests).
    /// <summary>
    /// What is served without a credential: health, metrics, the dashboard's gate, the console's pages (each checks its
    /// cookie), the API's description (no data) and each tenant's public keys and Shared Signals metadata (what verifiers
    /// and receivers of its tokens fetch).
    /// </summary>
    private static readonly string[] Anonymous = ["/healthz", "/health/", "/metrics", "/dashboard", "/console/", "/openapi/", "/docs", "/v1/tenants/{tenant}/.well-known/", "/.well-known/ssf-configuration/"];

    [Fact]
    public void The_table_lists_exactly_the_endpoints_the_host_maps_and_only_health_docs_and_public_keys_are_anonymous()
    {
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var anonymous = endpoints.Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>() is null
            && e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>() is null).ToList();
        Assert.All(anonymous, e => Assert.Contains(Anonymous, prefix => e.RoutePattern.RawText!.StartsWith(prefix, StringComparison.Ordinal)));

        var mapped = endpoints
            .Except(anonymous)
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
        await AuthorizeAsync(request, endpoint.Style, credential, user);
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True((int)response.StatusCode == expected, $"{endpointName} with {credential}: expected {expected}, got {(int)response.StatusCode} {body}");
        if (expected >= 400)
        {
            Assert.Equal(endpoint.Route.StartsWith("/v1/tenants", StringComparison.Ordinal) || endpoint.Route.StartsWith("/v1/me", StringComparison.Ordinal) || endpoint.Style == Style.MonoCloudHeader
                ? "application/problem+json" : "application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(before, await user.SnapshotAsync());
        }

        if (expected == 401 && endpoint.Style == Style.Bearer)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }

    private static int Expected(Endpoint endpoint, Credential credential)
    {
        var self = endpoint.Access == Access.Self;
        var owner = endpoint.Access is Access.ReadOrOwner or Access.RevokeOrOwner;
        var role = endpoint.Access switch
        {
            Access.ReadOrOwner => Access.Read,
            Access.RevokeOrOwner => Access.Revoke,
            var access => access,
        };
        return credential switch
        {
            Credential.None or Credential.WrongSecret or Credential.RevokedSessionToken
                or Credential.ExpiredSessionToken or Credential.EvictedSessionToken => 401,
            Credential.OwnSessionToken => self || owner ? endpoint.Success : 403,
            Credential.OtherUsersSessionToken => self ? endpoint.OtherUsersToken : 403,
            _ when self => 403,
            Credential.AllTenants when role == Access.Admin => 403, // Every tenant, but not the admin role.
            Credential.Bootstrap or Credential.AllTenants => endpoint.Success,
            Credential.OtherTenant => endpoint.OtherTenant,
            Credential.OtherPopulation => endpoint.OtherPopulation,
            Credential.WriteRole => role == Access.Write ? endpoint.Success : 403,
            Credential.ReadRole => role == Access.Read ? endpoint.Success : 403,
            Credential.ReadAllRole => role == Access.ReadAll ? endpoint.Success : 403,
            Credential.RevokeRole => role == Access.Revoke ? endpoint.Success : 403,
            Credential.EventsRole => role == Access.Events ? endpoint.Success : 403,
            Credential.AdminRole => role == Access.Admin ? endpoint.Success : 403,
            _ => throw new ArgumentOutOfRangeException(nameof(credential)),
        };
    }

    private async Task AuthorizeAsync(HttpRequestMessage request, Style style, Credential credential, MatrixUser user)
    {
        var (name, secret) = await CredentialAsync(credential, user);
        if (secret is null)
        {
            return;
        }

        switch (style)
        {
            case Style.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
                break;
            case Style.SymphonyHeader:
                request.Headers.Add("sessionToken", secret);
                break;
            case Style.MonoCloudHeader:
                request.Headers.Add("X-API-KEY", secret);
                break;
            case Style.RocketChatHeaders:
                request.Headers.Add("X-User-Id", name);
                request.Headers.Add("X-Auth-Token", secret);
                break;
        }
    }

    /// <summary>The credential's name (a key's name, or a session token's user, for Rocket.Chat's X-User-Id) and secret.</summary>
    private async Task<(string Name, string? Secret)> CredentialAsync(Credential credential, MatrixUser user)
    {
        return credential switch
        {
            Credential.None => ("", null),
            Credential.WrongSecret => ("bootstrap", SessionsApiFactory.BootstrapKey + "x"),
            Credential.Bootstrap => ("bootstrap", SessionsApiFactory.BootstrapKey),
            Credential.WriteRole => Key(TestKeys.Write),
            Credential.ReadRole => Key(TestKeys.Read),
            Credential.ReadAllRole => Key(TestKeys.ReadAll),
            Credential.RevokeRole => Key(TestKeys.Revoke),
            Credential.EventsRole => Key(TestKeys.Events),
            Credential.AdminRole => Key(TestKeys.TenantAdmin),
            Credential.OtherTenant => Key(TestKeys.OtherTenantKey),
            Credential.OtherPopulation => Key(TestKeys.OtherPopulationKey),
            Credential.AllTenants => Key(TestKeys.AllTenants),
            Credential.OwnSessionToken => (user.UserId, user.Token),
            Credential.OtherUsersSessionToken => await TokenOfAsync(MatrixUser.CreateAsync(factory)),
            Credential.RevokedSessionToken => (user.UserId + "1", await user.RevokedTokenAsync()),
            Credential.ExpiredSessionToken => (user.UserId + "2", await user.ExpiredTokenAsync()),
            Credential.EvictedSessionToken => (user.UserId + "3", await user.EvictedTokenAsync()),
            _ => throw new ArgumentOutOfRangeException(nameof(credential)),
        };

        static (string, string?) Key(TestKey key) => (key.Name, key.Secret);

        static async Task<(string, string?)> TokenOfAsync(Task<MatrixUser> other)
        {
            var user = await other;
            return (user.UserId, user.Token);
        }
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Post(string path, object? body) =>
        new(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
}

/// <summary>
/// A fresh user of the keyed tenant with one active session (population <c>pop-a</c>), made with the bootstrap
/// key. User ids are numbers, as Symphony's are; the session is in the directory before the test starts.
/// </summary>
internal sealed class MatrixUser
{
    private readonly OwnClockApiFactory _factory;
    private readonly HttpClient _admin;

    private MatrixUser(OwnClockApiFactory factory, HttpClient admin, string userId)
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

    /// <summary>The session id as PingOne spells it.</summary>
    public string Uuid => SessionIdSpellings.ToUuid(SessionId);

    /// <summary>The session id as MonoCloud spells it.</summary>
    public string Hex => SessionIdSpellings.ToHex(SessionId);

    public static async Task<MatrixUser> CreateAsync(OwnClockApiFactory factory, string? population = TestKeys.Population)
    {
        var user = new MatrixUser(factory, factory.CreateClient(), Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        (user.SessionId, user.Token) = await user.SignOnAsync(user.UserId, population);
        await WaitForAsync(
            $"the directory to list session {user.SessionId} of user {user.UserId}",
            async () => (await user._admin.GetStringAsync($"/v1/tenants/{user.Tenant}/sessions?userId={user.UserId}", TestContext.Current.CancellationToken)).Contains(user.SessionId, StringComparison.Ordinal),
            TimeSpan.FromSeconds(10));

        return user;
    }

    /// <summary>The user's sessions as the bootstrap key sees them, to compare before and after a refused request.</summary>
    public async Task<string> SnapshotAsync() =>
        await _admin.GetStringAsync($"{Sessions}?limit=100", TestContext.Current.CancellationToken);

    /// <summary>The token of another user's session that was revoked.</summary>
    public async Task<string> RevokedTokenAsync()
    {
        var userId = UserId + "1";
        var (sessionId, token) = await SignOnAsync(userId, TestKeys.Population);
        using var revoked = await _admin.PostAsJsonAsync($"/v1/tenants/{Tenant}/users/{userId}/sessions/{sessionId}/revoke", new { reason = "matrix" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        return token;
    }

    /// <summary>The token of another user's session that expired (the session clock moved past its lifetime).</summary>
    public async Task<string> ExpiredTokenAsync()
    {
        var (_, token) = await SignOnAsync(UserId + "2", TestKeys.Population, expiresIn: 60);
        _factory.Clock.Advance(TimeSpan.FromSeconds(61));
        return token;
    }

    /// <summary>The token of another user's first session, evicted by ten later sign-ons (the ring holds ten).</summary>
    public async Task<string> EvictedTokenAsync()
    {
        var userId = UserId + "3";
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
