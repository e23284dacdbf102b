using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.RocketChat;


/// <summary>
/// Rocket.Chat's device management (seed 003): <c>list.all</c> over the directory for administrators (a key's
/// name and secret as <c>X-User-Id</c>/<c>X-Auth-Token</c>, TOTP in <c>x-2fa-code</c>); the user's own
/// sessions, one session's info and logout with the user's id and session token (docs/compatibility.md).
/// </summary>
public static class RocketChatApi
{
    public const string Tag = "Rocket.Chat";
    public static RouteGroupBuilder MapRocketChatApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sessions").WithTags(Tag).WithMetadata(RocketChatSurface.Instance).WithInputValidation();
        group.MapGet("/list.all", ListAllAsync).RequireAuthorization(SessionsPolicies.ReadAll)
            .WithName("RocketChatListAllSessions").WithSummary("The active sessions of every user of the workspace; needs 2FA when the key has a TOTP secret.");
        group.MapPost("/logout", AdminLogoutAsync).ProducesSessionProblems().RequireAuthorization(SessionsPolicies.Revoke)
            .WithName("RocketChatLogoutSession").WithSummary("An administrator ends any user's session.");
        var own = group.MapGroup("").RequireAuthorization(SessionsPolicies.Self);
        own.MapGet("/list", ListOwnAsync).WithName("RocketChatListOwnSessions").WithSummary("The signed-in user's active sessions.");
        own.MapGet("/info", InfoAsync).ProducesNotFound().WithName("RocketChatSessionInfo").WithSummary("One session of the signed-in user.");
        own.MapPost("/logout.me", LogoutMeAsync).ProducesSessionProblems().WithName("RocketChatLogoutOwnSession").WithSummary("The signed-in user ends one of their sessions.");
        return group;
    }

    public static async Task<Ok<RocketChatSessionList>> ListAllAsync(
        [AsParameters] RocketChatListAllParameters list, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var tenant = FacadeSupport.Tenant(context, caller);
        var query = list.Query with { Filter = list.Query.Filter with { Scope = caller.Scope } };
        var page = await grains.GetGrain<IDirectoryGrain>(tenant).ListAsync(query);
        audit.ListedAll(caller, tenant, "rocket.chat list.all", page.Total);
        return TypedResults.Ok(new RocketChatSessionList([.. page.Items.Select(ToSession)], page.Total, query.Take, query.Offset, true));
    }

    public static async Task<Ok<RocketChatSessionList>> ListOwnAsync([AsParameters] RocketChatOwnListParameters list, Caller caller, IGrainFactory grains)
    {
        var sessions = await FacadeSupport.AllAsync(
            grains.UserSessions(caller.Tenant, caller.UserId!), new SessionQuery { Status = SessionStatus.Active, Descending = list.Descending }, caller.Scope);
        return TypedResults.Ok(new RocketChatSessionList([.. sessions.Skip(list.Skip).Take(list.Take).Select(s => ToSession(s))], sessions.Count, list.Take, list.Skip, true));
    }

    public static async Task<Results<Ok<RocketChatSession>, ProblemHttpResult>> InfoAsync(
        [AsParameters] RocketChatInfoParameters info, Caller caller, IGrainFactory grains)
    {
        var session = await grains.UserSessions(caller.Tenant, caller.UserId!).GetAsync(info.Id, caller.Scope);
        return session is { Status: SessionStatus.Active } ? TypedResults.Ok(ToSession(session) with { Success = true }) : ApiProblems.SessionNotFound(info.Id);
    }

    public static Task<Results<Ok<RocketChatLogoutResponse>, ProblemHttpResult>> LogoutMeAsync(
        RocketChatLogoutRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit) =>
        EndSessionAsync(request!.Id, grains, audit, caller, caller.Tenant, caller.UserId);

    public static async Task<Results<Ok<RocketChatLogoutResponse>, ProblemHttpResult>> AdminLogoutAsync(
        RocketChatLogoutRequest? request, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var logout = request!; // The filter put an empty body where none came (IOptionalBody), and validated it.
        var tenant = FacadeSupport.Tenant(context, caller);
        var owner = await grains.GetGrain<IDirectoryGrain>(tenant).FindUserAsync(logout.Id, caller.Scope);
        return await EndSessionAsync(logout.Id, grains, audit, caller, tenant, owner);
    }

    /// <summary>The reason recorded in <c>end</c> for Rocket.Chat's logouts, which carry none.</summary>
    public const string LogoutReason = "rocket.chat-logout";

    private static async Task<Results<Ok<RocketChatLogoutResponse>, ProblemHttpResult>> EndSessionAsync(
        string sessionId, IGrainFactory grains, SessionsAudit audit, Caller caller, string tenant, string? userId)
    {
        if (userId is null)
        {
            return ApiProblems.SessionNotFound(sessionId);
        }

        var outcome = await audit.RevokeAsync(grains, tenant, userId, sessionId, LogoutReason, caller);
        return outcome.Error == SessionError.None
            ? TypedResults.Ok(new RocketChatLogoutResponse(sessionId, true))
            : ApiProblems.ForError(outcome.Error, sessionId, outcome.Session);
    }

    private static RocketChatSession ToSession(DirectoryItem item)
    {
        var s = item.Session;
        return new RocketChatSession(
            s.SessionId,
            s.UserId,
            Device(s.Browser, s.BrowserVersion, s.Os, s.OsVersion),
            s.Host,
            s.Ip,
            new DateTimeOffset(s.CreatedAt, TimeSpan.Zero),
            new RocketChatUser(item.UserName ?? s.UserId, item.DisplayName),
            s.SessionId);
    }

    internal static RocketChatSession ToSession(Session s) => new(
        s.Id,
        s.UserId,
        Device(s.Device.Browser.Name, s.Device.Browser.Version, s.Device.Os.Name, s.Device.Os.Version),
        s.Host,
        FacadeSupport.LastIp(s),
        s.CreatedAt,
        null,
        s.Id);

    private static RocketChatDevice Device(string browser, string? browserVersion, string os, string? osVersion) =>
        new("browser", browser, browserVersion, new RocketChatOs(os, osVersion), ShortVersion(browserVersion));

    /// <summary>Rocket.Chat's <c>version</c> is the first three parts of <c>longVersion</c> (113.0.0.0 → 113.0.0).</summary>
    private static string? ShortVersion(string? version) =>
        version is null ? null : string.Join('.', version.Split('.').Take(3));
}
