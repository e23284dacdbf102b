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
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    public static RouteGroupBuilder MapWorkOsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/user_management").WithTags(Tag).WithMetadata(WorkOsSurface.Instance);
        group.AddEndpointFilter((invocation, next) =>
        {
            WorkOsRequestId.Set(invocation.HttpContext);
            return next(invocation);
        });
        group.MapGet("/users/{id}/sessions", ListAsync).RequireAuthorization(SessionsPolicies.Read)
            .WithName("WorkOsListSessions").WithSummary("A list of all active sessions for a specific user.");
        group.MapPost("/sessions/revoke", RevokeAsync).RequireAuthorization(SessionsPolicies.Revoke)
            .WithName("WorkOsRevokeSession").WithSummary("Revokes a session by its id.");
        return group;
    }

    public static async Task<Results<Ok<WorkOsList>, ValidationProblem>> ListAsync(
        string id, HttpContext context, Caller caller, IGrainFactory grains, string? limit, string? before, string? after, string? order)
    {
        var errors = new InputErrors();
        InputRules.Id(errors, "id", id);
        var pageSize = InputRules.Integer(errors, "limit", limit, 1, MaxLimit, DefaultLimit);
        ListOrder? listOrder = order switch
        {
            null or "desc" => ListOrder.Desc,
            "asc" => ListOrder.Asc,
            "normal" => ListOrder.Normal,
            _ => null,
        };
        if (listOrder is null)
        {
            errors.Add("order", "'order' must be 'asc', 'desc' or 'normal'.");
        }

        var beforeId = Cursor(errors, "before", before);
        var afterId = Cursor(errors, "after", after);
        if (beforeId is not null && afterId is not null)
        {
            errors.Add("before", InputCodes.ConflictingCursors, "Use either 'before' or 'after', not both.");
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        // Pages are read by id (ids grow with creation within a user) in the order shown. The 'forward' cursor asks
        // for the page that follows it in that order, the 'backward' one for the page that precedes it: that page is
        // read in the other direction from its cursor and turned back. 'asc' and 'desc' name them 'after' and
        // 'before'; 'normal' shows the newest first like 'desc' but names them by time, 'before' older and 'after' newer.
        var byTime = listOrder == ListOrder.Normal;
        var (forwardId, backwardId) = byTime ? (beforeId, afterId) : (afterId, beforeId);
        var backwards = backwardId is not null;
        var query = new SessionQuery
        {
            Status = SessionStatus.Active,
            Sort = SessionSortField.Id,
            Descending = (listOrder != ListOrder.Asc) != backwards,
            Limit = pageSize,
            After = (backwardId ?? forwardId) is { } cursor ? new SessionListPosition(0, cursor) : null,
        };
        var page = await grains.UserSessions(FacadeSupport.Tenant(context, caller), id).ListAsync(query, caller.Scope);
        var items = backwards ? page.Items.Reverse().ToList() : [.. page.Items];
        var more = page.Next is not null;
        var preceding = (backwards ? more : forwardId is not null) && items.Count > 0 ? SessionIdCodec.ToWorkOs(items[0].Id) : null;
        var following = (backwards || more) && items.Count > 0 ? SessionIdCodec.ToWorkOs(items[^1].Id) : null;
        return TypedResults.Ok(new WorkOsList(
            [.. items.Select(ToSession)],
            byTime ? new WorkOsListMetadata(Before: following, After: preceding) : new WorkOsListMetadata(Before: preceding, After: following)));
    }

    public static async Task<Results<Ok<WorkOsSession>, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        WorkOsRevokeRequest? request, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = new InputErrors();
        string? sessionId = null;
        if (request?.SessionId is null)
        {
            errors.AddRequired("session_id");
        }
        else if (!SessionIdCodec.TryFromWorkOs(request.SessionId, out sessionId))
        {
            errors.Add("session_id", InputCodes.InvalidSessionId, "'session_id' must be a session id ('session_' and 26 characters).");
        }

        if (sessionId is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var tenant = FacadeSupport.Tenant(context, caller);
        if (await grains.GetGrain<IDirectoryGrain>(tenant).FindUserAsync(sessionId, caller.Scope) is not { } userId)
        {
            return ApiProblems.SessionNotFound(request!.SessionId!);
        }

        var outcome = await audit.RevokeAsync(grains, tenant, userId, sessionId, RevokeReason, caller);
        return outcome.Error == SessionError.None
            ? TypedResults.Ok(ToSession(outcome.Session!))
            : ApiProblems.ForError(outcome.Error, request!.SessionId!, outcome.Session);
    }

    /// <summary>The reason recorded in <c>end</c> for a WorkOS revoke, which carries none.</summary>
    public const string RevokeReason = "workos-revoke";

    /// <summary>WorkOS' <c>order</c>: by creation, ascending or descending; <c>normal</c> is descending with time-named cursors.</summary>
    private enum ListOrder
    {
        Desc,
        Asc,
        Normal,
    }

    private static string? Cursor(InputErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (SessionIdCodec.TryFromWorkOs(value, out var sessionId))
        {
            return sessionId;
        }

        errors.Add(field, InputCodes.InvalidCursor, $"'{field}' must be a session id ('session_' and 26 characters).");
        return null;
    }

    private static WorkOsSession ToSession(Session s) => new(
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
