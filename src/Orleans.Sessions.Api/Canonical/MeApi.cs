using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>
/// The end user's own sessions, with the session token they were given at sign-on (docs/api.md; docs/security.md, "Session tokens"): the
/// token names its user, so these routes name none, and reach that user's sessions and nothing else.
/// </summary>
public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/me/sessions")
            .WithTags("My sessions")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Self);
        group.MapGet("/", ListAsync).WithName("ListMySessions").WithSummary("The signed-in user's sessions.");
        group.MapPost("/{sessionId}/revoke", RevokeAsync).WithName("RevokeMySession").WithSummary("End one of my sessions (this one or another).");
        group.MapPost("/revoke-others", RevokeOthersAsync).WithName("RevokeMyOtherSessions").WithSummary("End every session of mine but this one.");
        return group;
    }

    public static async Task<Results<Ok<SessionListResponse>, ValidationProblem>> ListAsync(
        Caller caller, IGrainFactory grains, string? status, string? clientId, string? sort, string? limit, string? cursor)
    {
        var errors = new InputErrors();
        var query = SessionsApi.ParseQuery(errors, status, clientId, sort, limit, cursor);
        return query is null
            ? ApiProblems.Validation(errors)
            : await SessionsApi.ListPageAsync(grains.UserSessions(caller.Tenant, caller.UserId!), query, caller.Scope);
    }

    public static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        string sessionId, RevokeRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = new InputErrors();
        var id = InputRules.SessionId(errors, "sessionId", sessionId);
        InputRules.Text(errors, "reason", request?.Reason, maxLength: SessionsApi.MaxReasonLength);
        if (id is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return await SessionsApi.RevokeOneAsync(grains, caller.Tenant, caller.UserId!, id, request?.Reason, caller, audit);
    }

    public static async Task<Results<Ok<RevokeAllResponse>, ValidationProblem, ProblemHttpResult>> RevokeOthersAsync(
        RevokeRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = new InputErrors();
        InputRules.Text(errors, "reason", request?.Reason, maxLength: SessionsApi.MaxReasonLength);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        return await SessionsApi.RevokeAllOfUserAsync(grains, caller.Tenant, caller.UserId!, caller.SessionId, request?.Reason, caller, audit);
    }
}
