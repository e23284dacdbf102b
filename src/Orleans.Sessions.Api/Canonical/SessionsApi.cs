using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.Telemetry;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>The canonical API of one user's sessions (docs/api.md).</summary>
public static class SessionsApi
{
    private static readonly Dictionary<string, SessionSortField> SortFields = new(StringComparer.Ordinal)
    {
        ["createdAt"] = SessionSortField.CreatedAt,
        ["activeAt"] = SessionSortField.ActiveAt,
        ["expiresAt"] = SessionSortField.ExpiresAt,
    };

    /// <summary>The longest <c>reason</c> a revoke keeps.</summary>
    public const int MaxReasonLength = 512;

    /// <summary>The name of the endpoint of one session, which a sign-on's <c>Location</c> points to.</summary>
    private const string GetSessionRoute = "GetSession";

    public static RouteGroupBuilder MapUserSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/users/{userId}/sessions")
            .WithTags("User sessions")
            .WithMetadata(CanonicalSurface.Instance);
        var write = group.MapGroup("").RequireAuthorization(SessionsPolicies.Write);
        var read = group.MapGroup("").RequireAuthorization(SessionsPolicies.Read);
        var revoke = group.MapGroup("").RequireAuthorization(SessionsPolicies.Revoke);

        write.MapPost("/", SignOnAsync).WithName("SignOn").WithSummary("Record a sign-on: creates a session and returns its end-user token once.");
        read.MapGet("/", ListAsync).WithName("ListUserSessions").WithSummary("A user's sessions, newest first unless sorted otherwise.");
        read.MapGet("/{sessionId}", GetAsync).WithName(GetSessionRoute).WithSummary("One session.");
        write.MapPost("/{sessionId}/sign-ons", ReauthenticateAsync).WithName("Reauthenticate").WithSummary("Record a re-authentication of an active session.");
        write.MapPost("/{sessionId}/activity", RecordActivityAsync).WithName("RecordActivity").WithSummary("Record use of an active session.");
        write.MapPost("/{sessionId}/sign-out", SignOutAsync).WithName("SignOut").WithSummary("The user signed out of the session.");
        revoke.MapPost("/{sessionId}/revoke", RevokeAsync).WithName("RevokeSession").WithSummary("End one session.");
        revoke.MapPost("/revoke", RevokeAllAsync).WithName("RevokeAllSessions").WithSummary("End all of a user's active sessions, or all but one.");
        return group;
    }

    public static async Task<Results<Created<SignOnResponse>, ValidationProblem, ProblemHttpResult>> SignOnAsync(
        string tenant, string userId, SignOnRequest request, Caller caller, IGrainFactory grains, IDeviceResolver devices, ILocationResolver locations,
        SessionsMetrics metrics, LinkGenerator links, HttpContext http)
    {
        var errors = PathErrors(tenant, userId);
        var command = request.ToCommand(tenant, userId, errors, devices, locations);
        if (command is null)
        {
            return ApiProblems.Validation(errors);
        }

        var result = await grains.UserSessions(tenant, userId).SignOnAsync(command, caller.Scope);
        if (result.Error != SessionError.None)
        {
            return ApiProblems.ForError(result.Error, "", null);
        }

        var session = result.Session!;
        metrics.SignedOn();
        var location = links.GetPathByName(http, GetSessionRoute, new { tenant, userId, sessionId = session.Id });
        return TypedResults.Created(location, new SignOnResponse(session.ToResponse(), result.Token!));
    }

    public static async Task<Results<Ok<SessionListResponse>, ValidationProblem>> ListAsync(
        string tenant, string userId, Caller caller, IGrainFactory grains, string? status, string? clientId, string? sort, string? limit, string? cursor)
    {
        var errors = PathErrors(tenant, userId);
        var query = ParseQuery(errors, status, clientId, sort, limit, cursor);
        return query is null ? ApiProblems.Validation(errors) : await ListPageAsync(grains.UserSessions(tenant, userId), query, caller.Scope);
    }

    /// <summary>One page of a user's sessions, as the canonical list answers it (also the end user's own list).</summary>
    internal static async Task<Ok<SessionListResponse>> ListPageAsync(IUserSessionsGrain user, SessionQuery query, SessionScope scope)
    {
        var page = await user.ListAsync(query, scope);
        var next = page.Next is { } position ? ListCursor.Encode(query.Sort, query.Descending, position) : null;
        return TypedResults.Ok(new SessionListResponse([.. page.Items.Select(s => s.ToResponse())], next));
    }

    public static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string tenant, string userId, string sessionId, Caller caller, IGrainFactory grains)
    {
        var errors = PathErrors(tenant, userId);
        var id = InputRules.SessionId(errors, "sessionId", sessionId);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var session = await grains.UserSessions(tenant, userId).GetAsync(id!, caller.Scope);
        return session is null ? ApiProblems.SessionNotFound(id!) : TypedResults.Ok(session.ToResponse());
    }

    public static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> ReauthenticateAsync(
        string tenant, string userId, string sessionId, ReauthenticateRequest request, Caller caller, IGrainFactory grains, ILocationResolver locations)
    {
        var errors = PathErrors(tenant, userId);
        var id = InputRules.SessionId(errors, "sessionId", sessionId);
        var command = request.ToCommand(errors, locations);
        if (command is null || id is null)
        {
            return ApiProblems.Validation(errors);
        }

        return ToResult(id, await grains.UserSessions(tenant, userId).ReauthenticateAsync(id, command, caller.Scope), TypedResults.Ok);
    }

    public static async Task<Results<Accepted<SessionResponse>, ValidationProblem, ProblemHttpResult>> RecordActivityAsync(
        string tenant, string userId, string sessionId, ActivityRequest? request, Caller caller, IGrainFactory grains, ILocationResolver locations)
    {
        var errors = PathErrors(tenant, userId);
        var id = InputRules.SessionId(errors, "sessionId", sessionId);
        var command = (request ?? new ActivityRequest(null, null, null)).ToCommand(errors, locations);
        if (command is null || id is null)
        {
            return ApiProblems.Validation(errors);
        }

        return ToResult(id, await grains.UserSessions(tenant, userId).RecordActivityAsync(id, command, caller.Scope), s => TypedResults.Accepted((string?)null, s));
    }

    public static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> SignOutAsync(
        string tenant, string userId, string sessionId, Caller caller, IGrainFactory grains)
    {
        var errors = PathErrors(tenant, userId);
        var id = InputRules.SessionId(errors, "sessionId", sessionId);
        if (id is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return ToResult(id, await grains.UserSessions(tenant, userId).SignOutAsync(id, caller.Scope), TypedResults.Ok);
    }

    public static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        string tenant, string userId, string sessionId, RevokeRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = PathErrors(tenant, userId);
        var id = InputRules.SessionId(errors, "sessionId", sessionId);
        InputRules.Text(errors, "reason", request?.Reason, maxLength: MaxReasonLength);
        if (id is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return await RevokeOneAsync(grains, tenant, userId, id, request?.Reason, caller, audit);
    }

    /// <summary>Revokes one session on the caller's authority (also the end user's own revoke).</summary>
    internal static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> RevokeOneAsync(
        IGrainFactory grains, string tenant, string userId, string sessionId, string? reason, Caller caller, SessionsAudit audit) =>
        ToResult(sessionId, await audit.RevokeAsync(grains, tenant, userId, sessionId, reason, caller), TypedResults.Ok);

    public static async Task<Results<Ok<RevokeAllResponse>, ValidationProblem, ProblemHttpResult>> RevokeAllAsync(
        string tenant, string userId, RevokeAllRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = PathErrors(tenant, userId);
        InputRules.Text(errors, "reason", request?.Reason, maxLength: MaxReasonLength);
        var except = request?.ExceptSessionId is { } exceptId ? InputRules.SessionId(errors, "exceptSessionId", exceptId) : null;
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return await RevokeAllOfUserAsync(grains, tenant, userId, except, request?.Reason, caller, audit);
    }

    /// <summary>Revokes a user's sessions but one on the caller's authority and audits it (also the end user's revoke-others).</summary>
    internal static async Task<Results<Ok<RevokeAllResponse>, ValidationProblem, ProblemHttpResult>> RevokeAllOfUserAsync(
        IGrainFactory grains, string tenant, string userId, string? exceptSessionId, string? reason, Caller caller, SessionsAudit audit)
    {
        var result = await audit.RevokeAllAsync(grains, tenant, userId, exceptSessionId, reason, caller);
        if (result.Error != SessionError.None)
        {
            return ApiProblems.ForError(result.Error, exceptSessionId ?? "", null);
        }

        return TypedResults.Ok(new RevokeAllResponse(result.RevokedSessionIds.Length, result.RevokedSessionIds));
    }


    private static InputErrors PathErrors(string tenant, string userId)
    {
        var errors = new InputErrors();
        InputRules.Id(errors, "tenant", tenant);
        InputRules.Id(errors, "userId", userId);
        return errors;
    }

    private static Results<T, ValidationProblem, ProblemHttpResult> ToResult<T>(string sessionId, SessionOutcome outcome, Func<SessionResponse, T> ok)
        where T : IResult
    {
        if (outcome.Error != SessionError.None)
        {
            return ApiProblems.ForError(outcome.Error, sessionId, outcome.Session);
        }

        return ok(outcome.Session!.ToResponse());
    }

    internal static SessionQuery? ParseQuery(InputErrors errors, string? status, string? clientId, string? sort, string? limit, string? cursor)
    {
        SessionStatus? statusFilter = status switch
        {
            null => null,
            "active" => SessionStatus.Active,
            "expired" => SessionStatus.Expired,
            "ended" => SessionStatus.Ended,
            "revoked" => SessionStatus.Revoked,
            "evicted" => SessionStatus.Evicted,
            _ => null,
        };
        if (status is not null && statusFilter is null)
        {
            errors.Add("status", "'status' must be one of active, expired, ended, revoked, evicted.");
        }

        InputRules.ClientId(errors, "clientId", clientId);

        var (sortField, descending) = InputRules.Sort(errors, sort, SortFields, SessionSortField.CreatedAt);
        var pageSize = InputRules.Integer(errors, "limit", limit, 1, SessionQuery.MaxLimit, SessionQuery.DefaultLimit);

        SessionListPosition? after = null;
        if (cursor is not null && errors.IsEmpty && !ListCursor.TryDecode(cursor, sortField, descending, out after))
        {
            errors.Add("cursor", "'cursor' is not a cursor of this list and sort; start again without one.");
        }

        return errors.IsEmpty
            ? new SessionQuery { Status = statusFilter, ClientId = clientId, Sort = sortField, Descending = descending, Limit = pageSize, After = after }
            : null;
    }
}
