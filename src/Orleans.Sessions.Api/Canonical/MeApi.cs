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
            .RequireAuthorization(SessionsPolicies.Self)
            .WithInputValidation();
        group.MapGet("/", ListAsync).WithName("ListMySessions").WithSummary("The signed-in user's sessions.");
        group.MapPost("/{sessionId}/revoke", RevokeAsync).ProducesSessionProblems().WithName("RevokeMySession").WithSummary("End one of my sessions (this one or another).");
        group.MapPost("/revoke-others", RevokeOthersAsync).ProducesSessionProblems().WithName("RevokeMyOtherSessions").WithSummary("End every session of mine but this one.");
        return group;
    }

    public static Task<Ok<SessionListResponse>> ListAsync([AsParameters] SessionListParameters list, Caller caller, IGrainFactory grains) =>
        SessionsApi.ListPageAsync(grains.UserSessions(caller.Tenant, caller.UserId!), list.Query, caller.Scope);

    public static Task<Results<Ok<SessionResponse>, ProblemHttpResult>> RevokeAsync(
        [AsParameters] MySessionRoute route, RevokeRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit) =>
        SessionsApi.RevokeOneAsync(grains, caller.Tenant, caller.UserId!, route.Id, request?.Reason, caller, audit);

    public static Task<Results<Ok<RevokeAllResponse>, ProblemHttpResult>> RevokeOthersAsync(
        RevokeRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit) =>
        SessionsApi.RevokeAllOfUserAsync(grains, caller.Tenant, caller.UserId!, caller.SessionId, request?.Reason, caller, audit);
}
