using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>The canonical API of one user's sessions (docs/api.md).</summary>
public static class SessionsApi
{
    /// <summary>The name of the endpoint of one session, which a sign-on's <c>Location</c> points to.</summary>
    private const string GetSessionRoute = "GetSession";

    public static RouteGroupBuilder MapUserSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/users/{userId}/sessions")
            .WithTags("User sessions")
            .WithMetadata(CanonicalSurface.Instance)
            .WithInputValidation();
        var write = group.MapGroup("").RequireAuthorization(SessionsPolicies.Write);
        var read = group.MapGroup("").RequireAuthorization(SessionsPolicies.Read);
        var revoke = group.MapGroup("").RequireAuthorization(SessionsPolicies.Revoke);

        write.MapPost("/", SignOnAsync).ProducesProblem(StatusCodes.Status409Conflict).WithName("SignOn").WithSummary("Record a sign-on: creates a session and returns its end-user token once.");
        read.MapGet("/", ListAsync).WithName("ListUserSessions").WithSummary("A user's sessions, newest first unless sorted otherwise.");
        read.MapGet("/{sessionId}", GetAsync).ProducesNotFound().WithName(GetSessionRoute).WithSummary("One session.");
        write.MapPost("/{sessionId}/sign-ons", ReauthenticateAsync).ProducesSessionProblems().WithName("Reauthenticate").WithSummary("Record a re-authentication of an active session.");
        write.MapPost("/{sessionId}/activity", RecordActivityAsync).ProducesSessionProblems().WithName("RecordActivity").WithSummary("Record use of an active session.");
        write.MapPatch("/{sessionId}", PatchMetadataAsync).Accepts<MetadataPatchInput>(MetadataRules.MediaType).ProducesSessionProblems()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("PatchSessionMetadata").WithSummary("Change an active session's metadata with a JSON Merge Patch (RFC 7396): a value sets its key, null removes it.");
        write.MapPost("/{sessionId}/sign-out", SignOutAsync).ProducesSessionProblems().WithName("SignOut").WithSummary("The user signed out of the session.");
        revoke.MapPost("/{sessionId}/revoke", RevokeAsync).ProducesSessionProblems().WithName("RevokeSession").WithSummary("End one session.");
        revoke.MapPost("/revoke", RevokeAllAsync).ProducesSessionProblems().WithName("RevokeAllSessions").WithSummary("End all of a user's active sessions, or all but one.");
        return group;
    }

    public static async Task<Results<Created<SignOnResponse>, ProblemHttpResult>> SignOnAsync(
        [AsParameters] UserRoute route, SignOnRequest request, Caller caller, IGrainFactory grains, IDeviceResolver devices, ILocationResolver locations,
        LinkGenerator links, HttpContext http)
    {
        var command = request.ToCommand(route.Tenant, route.UserId, devices, locations);
        var result = await grains.UserSessions(route.Tenant, route.UserId).SignOnAsync(command, caller.Scope);
        if (result.Error != SessionError.None)
        {
            return ApiProblems.ForError(result.Error, "", null);
        }

        var session = result.Session!;
        var location = links.GetPathByName(http, GetSessionRoute, new { tenant = route.Tenant, userId = route.UserId, sessionId = session.Id });
        return TypedResults.Created(location, new SignOnResponse(session.ToResponse(), result.Token!));
    }

    public static Task<Ok<SessionListResponse>> ListAsync(
        [AsParameters] UserRoute route, [AsParameters] SessionListParameters list, Caller caller, IGrainFactory grains) =>
        ListPageAsync(grains.UserSessions(route.Tenant, route.UserId), list.Query, caller.Scope);

    /// <summary>One page of a user's sessions, as the canonical list answers it (also the end user's own list).</summary>
    internal static async Task<Ok<SessionListResponse>> ListPageAsync(IUserSessionsGrain user, SessionQuery query, SessionScope scope)
    {
        var page = await user.ListAsync(query, scope);
        var next = page.Next is { } position ? ListCursor.Encode(query.Sort, query.Descending, position) : null;
        return TypedResults.Ok(new SessionListResponse([.. page.Items.Select(s => s.ToResponse())], next));
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> GetAsync(
        [AsParameters] SessionRoute route, Caller caller, IGrainFactory grains)
    {
        var session = await grains.UserSessions(route.Tenant, route.UserId).GetAsync(route.Id, caller.Scope);
        return session is null ? ApiProblems.SessionNotFound(route.Id) : TypedResults.Ok(session.ToResponse());
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> ReauthenticateAsync(
        [AsParameters] SessionRoute route, ReauthenticateRequest request, Caller caller, IGrainFactory grains, ILocationResolver locations) =>
        ToResult(route.Id, await grains.UserSessions(route.Tenant, route.UserId).ReauthenticateAsync(route.Id, request.ToCommand(locations), caller.Scope), TypedResults.Ok);

    public static async Task<Results<Accepted<SessionResponse>, ProblemHttpResult>> RecordActivityAsync(
        [AsParameters] SessionRoute route, ActivityRequest? request, Caller caller, IGrainFactory grains, ILocationResolver locations)
    {
        // The filter put an empty body where none came (IOptionalBody).
        var command = request!.ToCommand(locations);
        return ToResult(route.Id, await grains.UserSessions(route.Tenant, route.UserId).RecordActivityAsync(route.Id, command, caller.Scope), s => TypedResults.Accepted((string?)null, s));
    }

    /// <summary>
    /// A merge patch of the session's metadata (docs/sessions.md, "Metadata"), read here rather than bound: its media
    /// type is <c>application/merge-patch+json</c>, and a JSON null in it means "remove", not "not given".
    /// </summary>
    public static async Task<Results<Ok<SessionResponse>, ValidationProblem, ProblemHttpResult>> PatchMetadataAsync(
        [AsParameters] SessionRoute route, Caller caller, IGrainFactory grains, HttpContext http)
    {
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            || !string.Equals(type.MediaType, MetadataRules.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(
                $"A metadata patch is {MetadataRules.MediaType} (RFC 7396).", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", type: ApiProblems.UnsupportedMediaTypeType);
        }

        var errors = new InputErrors();
        ImmutableArray<MetadataChange> changes;
        try
        {
            using var patch = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            changes = MetadataRules.Patch(errors, patch.RootElement);
        }
        catch (JsonException)
        {
            errors.Add("metadata", "The body is not JSON.");
            changes = [];
        }

        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var outcome = await grains.UserSessions(route.Tenant, route.UserId).PatchMetadataAsync(route.Id, changes, caller.Scope);
        return outcome.Error != SessionError.None ? ApiProblems.ForError(outcome.Error, route.Id, outcome.Session) : TypedResults.Ok(outcome.Session!.ToResponse());
    }

    public static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> SignOutAsync(
        [AsParameters] SessionRoute route, Caller caller, IGrainFactory grains) =>
        ToResult(route.Id, await grains.UserSessions(route.Tenant, route.UserId).SignOutAsync(route.Id, caller.Scope), TypedResults.Ok);

    public static Task<Results<Ok<SessionResponse>, ProblemHttpResult>> RevokeAsync(
        [AsParameters] SessionRoute route, RevokeRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit) =>
        RevokeOneAsync(grains, route.Tenant, route.UserId, route.Id, request?.Reason, caller, audit);

    /// <summary>Revokes one session on the caller's authority (also the end user's own revoke).</summary>
    internal static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> RevokeOneAsync(
        IGrainFactory grains, string tenant, string userId, string sessionId, string? reason, Caller caller, SessionsAudit audit) =>
        ToResult(sessionId, await audit.RevokeAsync(grains, tenant, userId, sessionId, reason, caller), TypedResults.Ok);

    public static Task<Results<Ok<RevokeAllResponse>, ProblemHttpResult>> RevokeAllAsync(
        [AsParameters] UserRoute route, RevokeAllRequest? request, Caller caller, IGrainFactory grains, SessionsAudit audit) =>
        RevokeAllOfUserAsync(grains, route.Tenant, route.UserId, request?.Except, request?.Reason, caller, audit);

    /// <summary>Revokes a user's sessions but one on the caller's authority and audits it (also the end user's revoke-others).</summary>
    internal static async Task<Results<Ok<RevokeAllResponse>, ProblemHttpResult>> RevokeAllOfUserAsync(
        IGrainFactory grains, string tenant, string userId, string? exceptSessionId, string? reason, Caller caller, SessionsAudit audit)
    {
        var result = await audit.RevokeAllAsync(grains, tenant, userId, exceptSessionId, reason, caller);
        if (result.Error != SessionError.None)
        {
            return ApiProblems.ForError(result.Error, exceptSessionId ?? "", null);
        }

        return TypedResults.Ok(new RevokeAllResponse(result.RevokedSessionIds.Length, result.RevokedSessionIds));
    }

    private static Results<T, ProblemHttpResult> ToResult<T>(string sessionId, SessionOutcome outcome, Func<SessionResponse, T> ok)
        where T : IResult =>
        outcome.Error != SessionError.None ? ApiProblems.ForError(outcome.Error, sessionId, outcome.Session) : ok(outcome.Session!.ToResponse());
}
