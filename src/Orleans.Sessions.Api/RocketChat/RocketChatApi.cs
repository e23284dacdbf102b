using System.Text.Json;
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
    public const int DefaultCount = 50;

    private static readonly Dictionary<string, DirectorySort> SortFields = new(StringComparer.Ordinal)
    {
        ["loginAt"] = DirectorySort.LoginAt,
        ["_user.username"] = DirectorySort.UserName,
        ["device.name"] = DirectorySort.Browser,
        ["device.os.name"] = DirectorySort.Os,
    };

    public static RouteGroupBuilder MapRocketChatApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/sessions").WithTags(Tag).WithMetadata(RocketChatSurface.Instance);
        group.MapGet("/list.all", ListAllAsync).RequireAuthorization(SessionsPolicies.ReadAll)
            .WithName("RocketChatListAllSessions").WithSummary("The active sessions of every user of the workspace; needs 2FA when the key has a TOTP secret.");
        group.MapPost("/logout", AdminLogoutAsync).RequireAuthorization(SessionsPolicies.Revoke)
            .WithName("RocketChatLogoutSession").WithSummary("An administrator ends any user's session.");
        var own = group.MapGroup("").RequireAuthorization(SessionsPolicies.Self);
        own.MapGet("/list", ListOwnAsync).WithName("RocketChatListOwnSessions").WithSummary("The signed-in user's active sessions.");
        own.MapGet("/info", InfoAsync).WithName("RocketChatSessionInfo").WithSummary("One session of the signed-in user.");
        own.MapPost("/logout.me", LogoutMeAsync).WithName("RocketChatLogoutOwnSession").WithSummary("The signed-in user ends one of their sessions.");
        return group;
    }

    public static async Task<Results<Ok<RocketChatSessionList>, ValidationProblem>> ListAllAsync(
        HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit,
        string? filter, string? offset, string? count, string? sort)
    {
        var errors = new InputErrors();
        if (filter is { Length: > 0 } && !DirectoryPatterns.TryValidate(filter, out var patternError))
        {
            errors.Add("filter", patternError);
        }

        var (skip, take) = Paging(errors, offset, count, DirectoryQuery.MaxOffset, DirectoryQuery.MaxLimit);
        var (sortField, descending) = ParseSort(errors, sort);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var tenant = FacadeSupport.Tenant(context, caller);
        var directoryFilter = new DirectoryFilter { Pattern = filter is { Length: > 0 } ? filter : null, Scope = caller.Scope };
        var page = await grains.GetGrain<IDirectoryGrain>(tenant).ListAsync(
            new DirectoryQuery { Filter = directoryFilter, Sort = sortField, Descending = descending, Offset = skip, Take = take });
        audit.ListedAll(caller, tenant, "rocket.chat list.all", page.Total);
        return TypedResults.Ok(new RocketChatSessionList([.. page.Items.Select(ToSession)], page.Total, take, skip, true));
    }

    public static async Task<Results<Ok<RocketChatSessionList>, ValidationProblem>> ListOwnAsync(
        Caller caller, IGrainFactory grains, string? offset, string? count, string? sort)
    {
        var errors = new InputErrors();
        var (skip, take) = Paging(errors, offset, count, int.MaxValue, DirectoryQuery.MaxLimit);
        var (sortField, descending) = ParseSort(errors, sort);
        if (sortField != DirectorySort.LoginAt)
        {
            errors.Add("sort", "A user's own list sorts by 'loginAt' only.");
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var sessions = await FacadeSupport.AllAsync(
            grains.UserSessions(caller.Tenant, caller.UserId!), new SessionQuery { Status = SessionStatus.Active, Descending = descending }, caller.Scope);
        return TypedResults.Ok(new RocketChatSessionList([.. sessions.Skip(skip).Take(take).Select(s => ToSession(s))], sessions.Count, take, skip, true));
    }

    public static async Task<Results<Ok<RocketChatSession>, ValidationProblem, ProblemHttpResult>> InfoAsync(
        Caller caller, IGrainFactory grains, string? sessionId)
    {
        var errors = new InputErrors();
        var id = InputRules.SessionId(errors, "sessionId", sessionId);
        if (id is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var session = await grains.UserSessions(caller.Tenant, caller.UserId!).GetAsync(id, caller.Scope);
        return session is { Status: SessionStatus.Active } ? TypedResults.Ok(ToSession(session) with { Success = true }) : ApiProblems.SessionNotFound(id);
    }

    public static Task<Results<Ok<RocketChatLogoutResponse>, ValidationProblem, ProblemHttpResult>> LogoutMeAsync(
        RocketChatLogoutRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit) =>
        EndSessionAsync(request, grains, audit, caller, caller.Tenant, _ => Task.FromResult<string?>(caller.UserId));

    public static Task<Results<Ok<RocketChatLogoutResponse>, ValidationProblem, ProblemHttpResult>> AdminLogoutAsync(
        RocketChatLogoutRequest? request, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var tenant = FacadeSupport.Tenant(context, caller);
        return EndSessionAsync(request, grains, audit, caller, tenant, sessionId => grains.GetGrain<IDirectoryGrain>(tenant).FindUserAsync(sessionId, caller.Scope));
    }

    /// <summary>The reason recorded in <c>end</c> for Rocket.Chat's logouts, which carry none.</summary>
    public const string LogoutReason = "rocket.chat-logout";

    private static async Task<Results<Ok<RocketChatLogoutResponse>, ValidationProblem, ProblemHttpResult>> EndSessionAsync(
        RocketChatLogoutRequest? request, IGrainFactory grains, SessionsAudit audit, Caller caller, string tenant, Func<string, Task<string?>> ownerOf)
    {
        var errors = new InputErrors();
        var id = InputRules.SessionId(errors, "sessionId", request?.SessionId);
        if (id is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        if (await ownerOf(id) is not { } userId)
        {
            return ApiProblems.SessionNotFound(id);
        }

        var outcome = await audit.RevokeAsync(grains, tenant, userId, id, LogoutReason, caller);
        return outcome.Error == SessionError.None
            ? TypedResults.Ok(new RocketChatLogoutResponse(id, true))
            : ApiProblems.ForError(outcome.Error, id, outcome.Session);
    }

    private static (int Offset, int Count) Paging(InputErrors errors, string? offset, string? count, int maxOffset, int maxCount) =>
        (InputRules.Integer(errors, "offset", offset, 0, maxOffset, 0), InputRules.Integer(errors, "count", count, 1, maxCount, DefaultCount));

    /// <summary>Rocket.Chat's <c>sort</c>: a JSON object of one field and 1 or -1, such as <c>{"loginAt":-1}</c>.</summary>
    private static (DirectorySort Field, bool Descending) ParseSort(InputErrors errors, string? sort)
    {
        if (sort is null)
        {
            return (DirectorySort.LoginAt, true);
        }

        using var json = FacadeSupport.TryParseJson(sort);
        if (json?.RootElement is not { ValueKind: JsonValueKind.Object } root || root.EnumerateObject().Count() != 1)
        {
            errors.Add("sort", "'sort' must be a JSON object with one field, such as {\"loginAt\": -1}.");
            return default;
        }

        var property = root.EnumerateObject().Single();
        if (!SortFields.TryGetValue(property.Name, out var field))
        {
            errors.Add("sort", $"'sort' can order by {string.Join(", ", SortFields.Keys)}.");
        }

        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var direction) || direction is not (1 or -1))
        {
            errors.Add("sort", "'sort' directions are 1 (ascending) or -1 (descending).");
            return default;
        }

        return (field, direction == -1);
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

    private static RocketChatSession ToSession(Session s) => new(
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
