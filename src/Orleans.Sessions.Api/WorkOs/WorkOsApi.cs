using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.WorkOs;


/// <summary>
/// WorkOS User Management sessions (seed 002): a user's active sessions with WorkOS' cursor pagination, and
/// revoke by session id alone (docs/compatibility.md). Snake_case, ids <c>session_</c> + ULID.
/// </summary>
public static class WorkOsApi
{
    public const string Tag = "WorkOS";

    public static RouteGroupBuilder MapWorkOsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/user_management").WithTags(Tag).WithMetadata(WorkOsSurface.Instance);
        group.AddEndpointFilter((invocation, next) =>
        {
            WorkOsRequestId.Set(invocation.HttpContext);
            return next(invocation);
        });
        group.WithInputValidation();
        group.MapGet("/users/{id}/sessions", ListAsync).RequireAuthorization(SessionsPolicies.Read)
            .WithName("WorkOsListSessions").WithSummary("A list of all active sessions for a specific user.");
        group.MapPost("/sessions/revoke", RevokeAsync).ProducesSessionProblems().RequireAuthorization(SessionsPolicies.Revoke)
            .WithName("WorkOsRevokeSession").WithSummary("Revokes a session by its id.");
        return group;
    }

    public static async Task<Ok<WorkOsList>> ListAsync(
        [AsParameters] WorkOsUserRoute route, [AsParameters] WorkOsListParameters list, HttpContext context, Caller caller, IGrainFactory grains)
    {
        // Pages are read by id (ids grow with creation within a user) in the order shown. The 'forward' cursor asks
        // for the page that follows it in that order, the 'backward' one for the page that precedes it: that page is
        // read in the other direction from its cursor and turned back. 'asc' and 'desc' name them 'after' and
        // 'before'; 'normal' shows the newest first like 'desc' but names them by time, 'before' older and 'after' newer.
        var byTime = list.ListOrder == WorkOsOrder.Normal;
        var (forwardId, backwardId) = byTime ? (list.BeforeId, list.AfterId) : (list.AfterId, list.BeforeId);
        var backwards = backwardId is not null;
        var query = new SessionQuery
        {
            Status = SessionStatus.Active,
            Sort = SessionSortField.Id,
            Descending = (list.ListOrder != WorkOsOrder.Asc) != backwards,
            Limit = list.PageSize,
            After = (backwardId ?? forwardId) is { } cursor ? new SessionListPosition(0, cursor) : null,
        };
        var page = await grains.UserSessions(FacadeSupport.Tenant(context, caller), route.Id).ListAsync(query, caller.Scope);
        var items = backwards ? page.Items.Reverse().ToList() : [.. page.Items];
        var more = page.Next is not null;
        var preceding = (backwards ? more : forwardId is not null) && items.Count > 0 ? SessionIdCodec.ToWorkOs(items[0].Id) : null;
        var following = (backwards || more) && items.Count > 0 ? SessionIdCodec.ToWorkOs(items[^1].Id) : null;
        return TypedResults.Ok(new WorkOsList(
            [.. items.Select(ToSession)],
            byTime ? new WorkOsListMetadata(Before: following, After: preceding) : new WorkOsListMetadata(Before: preceding, After: following)));
    }

    public static async Task<Results<Ok<WorkOsSession>, ProblemHttpResult>> RevokeAsync(
        WorkOsRevokeRequest? request, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var revoke = request!; // The filter put an empty body where none came (IOptionalBody), and validated it.
        var tenant = FacadeSupport.Tenant(context, caller);
        if (await grains.GetGrain<IDirectoryGrain>(tenant).FindUserAsync(revoke.Id, caller.Scope) is not { } userId)
        {
            return ApiProblems.SessionNotFound(revoke.SessionId!);
        }

        var outcome = await audit.RevokeAsync(grains, tenant, userId, revoke.Id, RevokeReason, caller);
        return outcome.Error == SessionError.None
            ? TypedResults.Ok(ToSession(outcome.Session!))
            : ApiProblems.ForError(outcome.Error, revoke.SessionId!, outcome.Session);
    }

    /// <summary>The reason recorded in <c>end</c> for a WorkOS revoke, which carries none.</summary>
    public const string RevokeReason = "workos-revoke";

    internal static WorkOsSession ToSession(Session s) => new(
        SessionIdCodec.ToWorkOs(s.Id),
        s.Impersonator is { } i ? new WorkOsImpersonator(i.Email, i.Reason) : null,
        FacadeSupport.CreationIp(s),
        s.OrganizationId,
        s.Device.UserAgent,
        s.UserId,
        s.AuthMethod,
        s.Status switch
        {
            SessionStatus.Active => "active",
            SessionStatus.Expired => "expired",
            _ => "revoked",
        },
        s.EffectiveExpiry,
        s.EndedAt,
        s.CreatedAt,
        s.EndedAt is { } ended && ended > s.ActiveAt ? ended : s.ActiveAt);
}
