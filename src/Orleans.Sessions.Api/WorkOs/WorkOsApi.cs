using System.Buffers;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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

public sealed record WorkOsRevokeRequest([property: JsonPropertyName("session_id")] string? SessionId);

public sealed record WorkOsImpersonator(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("reason")] string? Reason);

public sealed record WorkOsSession(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("impersonator")] WorkOsImpersonator? Impersonator,
    [property: JsonPropertyName("ip_address")] string IpAddress,
    [property: JsonPropertyName("organization_id")] string? OrganizationId,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("auth_method")] string AuthMethod,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("ended_at")] DateTimeOffset? EndedAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    [JsonPropertyName("object")]
    [JsonPropertyOrder(-1)]
    public string Object => "session";
}

public sealed record WorkOsListMetadata(
    [property: JsonPropertyName("before")] string? Before,
    [property: JsonPropertyName("after")] string? After);

public sealed record WorkOsList(
    [property: JsonPropertyName("data")] IReadOnlyList<WorkOsSession> Data,
    [property: JsonPropertyName("list_metadata")] WorkOsListMetadata ListMetadata)
{
    [JsonPropertyName("object")]
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

/// <summary>WorkOS' error body: <c>{ code, message }</c>, and for invalid parameters a 422 with <c>errors</c>.</summary>
public sealed record WorkOsError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WorkOsFieldError>? Errors);

public sealed record WorkOsFieldError(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary><c>Authorization: Bearer</c>; errors in WorkOS' shape.</summary>
public sealed class WorkOsSurface : ApiSurface
{
    public static WorkOsSurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [BearerCredentialReader.Instance];

    public override bool HasOwnErrorShape => true;

    public override Task WriteErrorAsync(HttpContext context, ProblemDetails problem)
    {
        WorkOsRequestId.Set(context);
        if (problem is HttpValidationProblemDetails validation && FacadeSupport.Is(problem, ApiProblems.ValidationType))
        {
            var fields = validation.Errors.SelectMany(e => e.Value.Select((m, i) => new WorkOsFieldError(e.Key, ApiProblems.CodeOf(problem, e.Key, i), m))).ToList();
            return FacadeSupport.WriteJsonAsync(context, StatusCodes.Status422UnprocessableEntity, new WorkOsError("invalid_request_parameters", "Validation failed.", fields));
        }

        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var code = status switch
        {
            400 or 413 => "bad_request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "entity_not_found",
            409 => "session_not_active",
            429 => "rate_limit_exceeded",
            503 => "service_unavailable",
            _ => "server_error",
        };
        return FacadeSupport.WriteJsonAsync(context, status, new WorkOsError(code, FacadeSupport.MessageOf(problem), null));
    }
}

/// <summary>
/// <c>X-Request-ID</c> on every WorkOS answer, which WorkOS' clients put into each error they raise: the id the
/// request came with when it is a short plain token (a proxy's or the caller's own), else the request's trace
/// id (the <c>traceId</c> of canonical problem details), which names it in traces and logs.
/// </summary>
public static class WorkOsRequestId
{
    public const string Header = "X-Request-ID";

    public const int MaxLength = 128;

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:");

    public static void Set(HttpContext context)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.Headers[Header] = Of(context);
        }
    }

    public static string Of(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (context.Request.Headers[Header] is [{ } sent] && IsToken(sent))
        {
            activity?.SetTag("http.request.header.x-request-id", sent);
            return sent;
        }

        return activity?.Id ?? context.TraceIdentifier;
    }

    public static bool IsToken(string value) => value.Length is > 0 and <= MaxLength && !value.AsSpan().ContainsAnyExcept(TokenChars);
}
