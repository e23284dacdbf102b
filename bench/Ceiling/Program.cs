using System.Collections.Concurrent;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Devices.UserAgents;
using Orleans.Sessions.Users;

// The ceiling of bench/run.sh (bench/README.md): the routes the benchmark drives, answering the service's JSON shapes
// (the same contract records and JSON options) from dictionaries in memory, on bare Kestrel. It does what the
// service's HTTP layer does before a grain call — the API key check (the service's own key ring), parsing and
// validating the body, resolving the device, minting the session token — and none of what Orleans and storage do.
// Usage: dotnet Ceiling.dll --urls http://127.0.0.1:PORT --key KEY
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
builder.Services.Configure<SessionsAuthOptions>(o => o.BootstrapKey = builder.Configuration["key"]);
builder.Services.AddSingleton<ApiKeyRing>();
builder.Services.AddSingleton<IDeviceResolver>(new ParsingDeviceResolver(new UserAgentParser()));
builder.Services.AddSingleton<ILocationResolver, IpOnlyLocationResolver>();
builder.Services.AddSingleton<Store>();
var app = builder.Build();

// The end user's own list, by session token (the service checks the token's hash against the user's record).
app.MapGet("/v1/me/sessions", (HttpContext http, Store store) =>
{
    var header = http.Request.Headers.Authorization.ToString();
    return header.StartsWith("Bearer ", StringComparison.Ordinal) && store.TokenOwner(header[7..]) is { } owner
        ? Results.Ok(store.List(owner))
        : Results.Problem(statusCode: 401);
});

// Everything else with the API key, checked by the service's own key ring.
var api = app.MapGroup("/v1").AddEndpointFilter(async (context, next) =>
{
    var header = context.HttpContext.Request.Headers.Authorization.ToString();
    var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyRing>();
    return header.StartsWith("Bearer ", StringComparison.Ordinal) && keys.Authenticate(header.AsSpan(7)) is not null
        ? await next(context)
        : Results.Problem(statusCode: 401);
});

api.MapPost("/tenants/{tenant}/users/{userId}/sessions", (string tenant, string userId, SignOnRequest request, Store store, IDeviceResolver devices, ILocationResolver locations) =>
{
    var errors = new InputErrors();
    request.Validate(errors);
    if (!errors.IsEmpty)
    {
        return Results.ValidationProblem(errors.ToDictionary());
    }

    var (session, token) = store.SignOn(new User(tenant, userId), request.ToCommand(tenant, userId, devices, locations));
    return Results.Created($"/v1/tenants/{tenant}/users/{userId}/sessions/{session.Id}", new SignOnResponse(session.ToResponse(), token));
});

api.MapGet("/tenants/{tenant}/users/{userId}/sessions", (string tenant, string userId, Store store) => Results.Ok(store.List(new User(tenant, userId))));

api.MapPost("/tenants/{tenant}/users/{userId}/sessions/{sessionId}/activity", (string tenant, string userId, string sessionId, Store store) =>
    store.Change(new User(tenant, userId), sessionId, (s, now) => s with { ActiveAt = now, IdleExpiresAt = now + TimeSpan.FromHours(1) }) is { } changed
        ? Results.Accepted(null, changed.ToResponse())
        : Results.Problem(statusCode: 404));

api.MapPost("/tenants/{tenant}/users/{userId}/sessions/{sessionId}/revoke", (string tenant, string userId, string sessionId, RevokeRequest? request, Store store) =>
    store.Change(new User(tenant, userId), sessionId, (s, now) => s with { Status = SessionStatus.Revoked, EndedAt = now, End = new SessionEnd("bench", request?.Reason) }) is { } revoked
        ? Results.Ok(revoked.ToResponse())
        : Results.Problem(statusCode: 404));

api.MapGet("/tenants/{tenant}/sessions", (string tenant, Store store) => Results.Ok(store.FirstPage(tenant)));

app.Run();

internal readonly record struct User(string Tenant, string UserId);

/// <summary>Each user's newest ten sessions, the tokens, and per tenant the active sessions by last activity.</summary>
internal sealed class Store
{
    private const int Ring = 10;
    private const int PageSize = 50;
    private readonly ConcurrentDictionary<User, List<Session>> _users = new();
    private readonly ConcurrentDictionary<string, User> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokenOf = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);

    public (Session Session, string Token) SignOn(User user, SignOnCommand command)
    {
        var now = DateTimeOffset.UtcNow;
        var id = Guid.CreateVersion7().ToString("N")[..26].ToUpperInvariant();
        var (token, _) = SessionToken.Create(user.Tenant, user.UserId, id);
        var signOn = new SignOnEvent(now, command.Ip, command.AuthMethod);
        var session = new Session
        {
            Id = id, Tenant = user.Tenant, UserId = user.UserId, Status = SessionStatus.Active, CreatedAt = now, ActiveAt = now,
            ExpiresAt = now + TimeSpan.FromDays(1), IdleExpiresAt = now + TimeSpan.FromHours(1), AuthMethod = command.AuthMethod,
            ClientIds = command.ClientId is null ? [] : [command.ClientId], Device = command.Device, LastSignOn = signOn, SignOns = [signOn],
            Locations = [GeoLocation.Of(now, command.Ip, command.Place)], CreationIp = command.Ip,
        };
        var sessions = _users.GetOrAdd(user, _ => new List<Session>(Ring + 1));
        Session? dropped = null;
        _tokens[token] = user;
        lock (sessions)
        {
            sessions.Add(session);
            _tokenOf[session.Id] = token;
            if (sessions.Count > Ring)
            {
                dropped = sessions[0];
                sessions.RemoveAt(0);
            }
        }

        if (dropped is not null && _tokenOf.TryRemove(dropped.Id, out var droppedToken))
        {
            _tokens.TryRemove(droppedToken, out _); // As the service forgets a dropped session's token.
        }

        var tenant = _tenants.GetOrAdd(user.Tenant, _ => new Tenant());
        lock (tenant)
        {
            if (dropped is not null)
            {
                tenant.Remove(dropped);
            }

            tenant.Add(session);
        }

        return (session, token);
    }

    public SessionListResponse List(User user)
    {
        if (!_users.TryGetValue(user, out var sessions))
        {
            return new SessionListResponse([], null);
        }

        lock (sessions)
        {
            var items = new SessionResponse[sessions.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = sessions[sessions.Count - 1 - i].ToResponse();
            }

            return new SessionListResponse(items, null);
        }
    }

    public Session? Change(User user, string sessionId, Func<Session, DateTimeOffset, Session> change)
    {
        if (!_users.TryGetValue(user, out var sessions))
        {
            return null;
        }

        Session before, after;
        lock (sessions)
        {
            var index = sessions.FindIndex(s => s.Id == sessionId);
            if (index < 0)
            {
                return null;
            }

            before = sessions[index];
            after = sessions[index] = change(before, DateTimeOffset.UtcNow);
        }

        var tenant = _tenants[user.Tenant];
        lock (tenant)
        {
            tenant.Remove(before);
            if (after.Status == SessionStatus.Active)
            {
                tenant.Add(after);
            }
        }

        return after;
    }

    public User? TokenOwner(string token) => _tokens.TryGetValue(token, out var user) ? user : null;

    public DirectoryListResponse FirstPage(string tenantName)
    {
        if (!_tenants.TryGetValue(tenantName, out var tenant))
        {
            return new DirectoryListResponse([], 0, null);
        }

        lock (tenant)
        {
            var items = tenant.ByActivity.Reverse().Take(PageSize).Select(key => ToDirectory(tenant.Sessions[key.Id])).ToList();
            return new DirectoryListResponse(items, tenant.Sessions.Count, items.Count == PageSize ? "next" : null);
        }
    }

    private static DirectorySessionResponse ToDirectory(Session s) => new(
        s.Id, s.Tenant, s.UserId, null, null, "active", s.CreatedAt, s.ActiveAt, s.ExpiresAt, s.IdleExpiresAt, s.AuthMethod, s.ClientIds,
        s.LastSignOn.Ip, s.Locations[^1].CountryCode, s.Locations[^1].City, new DirectoryBrowserResponse(s.Device.Browser.Name, s.Device.Browser.Version),
        new DirectoryOsResponse(s.Device.Os.Name, s.Device.Os.Version), new DirectoryDeviceResponse(s.Device.Type, s.Device.Model),
        s.Impersonator is not null, s.PopulationId, s.OrganizationId, s.Host, s.Metadata, new DirectoryRiskResponse(s.Risk?.Signals ?? [], s.Risk?.Score ?? 0));

    private sealed class Tenant
    {
        public SortedSet<(long ActiveAt, string Id)> ByActivity { get; } = [];

        public Dictionary<string, Session> Sessions { get; } = new(StringComparer.Ordinal);

        public void Add(Session session)
        {
            ByActivity.Add((session.ActiveAt.UtcTicks, session.Id));
            Sessions[session.Id] = session;
        }

        public void Remove(Session session)
        {
            ByActivity.Remove((session.ActiveAt.UtcTicks, session.Id));
            Sessions.Remove(session.Id);
        }
    }
}
