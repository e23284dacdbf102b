using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.MonoCloud;


/// <summary>
/// MonoCloud's user sessions (seed 004): a page of a user's active sessions as a JSON array, epoch-second
/// times, ids as 32 upper-case hex digits; <c>X-API-KEY</c>; problem+json errors, 422 for invalid values
/// (docs/compatibility.md).
/// </summary>
public static class MonoCloudApi
{
    public const string Tag = "MonoCloud";
    public const int DefaultSize = 10;
    public const int MaxSize = 100;
    public const int MaxPage = 10_000;

    private static readonly Dictionary<string, Func<Session, IComparable>> SortKeys = new(StringComparer.Ordinal)
    {
        ["session_id"] = s => s.Id,
        ["initiated_at"] = s => s.CreatedAt,
        ["expires_at"] = s => s.EffectiveExpiry,
        ["last_updated"] = s => s.ActiveAt,
    };

    public static RouteGroupBuilder MapMonoCloudApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users/{user_id}/sessions").WithTags(Tag).WithMetadata(MonoCloudSurface.Instance);
        group.MapGet("/", ListAsync).RequireAuthorization(SessionsPolicies.Read)
            .WithName("MonoCloudGetAllSessions").WithSummary("A page of the user's sessions.");
        group.MapDelete("/{session_id}", DeleteAsync).RequireAuthorization(SessionsPolicies.Revoke)
            .WithName("MonoCloudRevokeSession").WithSummary("Ends one session of the user.");
        return group;
    }

    public static async Task<Results<Ok<List<MonoCloudSession>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        [FromRoute(Name = "user_id")] string userId, HttpContext context, Caller caller, IGrainFactory grains,
        string? page, string? size, [FromQuery(Name = "client_id")] string? clientId, string? sort)
    {
        // Numbers that are not numbers are a malformed request (400); values out of range are MonoCloud's
        // "Client Error" (422, with every invalid field).
        if ((NotANumber(page) ? "page" : NotANumber(size) ? "size" : null) is { } field)
        {
            return TypedResults.Problem($"'{field}' must be a whole number.", statusCode: StatusCodes.Status400BadRequest, title: "Bad request", type: ApiProblems.BadRequestType);
        }

        var errors = new InputErrors();
        InputRules.Id(errors, "user_id", userId);
        var pageNumber = InputRules.Integer(errors, "page", page, 1, MaxPage, 1);
        var pageSize = InputRules.Integer(errors, "size", size, 1, MaxSize, DefaultSize);
        InputRules.ClientId(errors, "client_id", clientId);
        var (key, descending) = ParseSort(errors, sort);
        if (!errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var tenant = FacadeSupport.Tenant(context, caller);
        var sessions = await FacadeSupport.AllAsync(
            grains.UserSessions(tenant, userId), new SessionQuery { Status = SessionStatus.Active, ClientId = clientId }, caller.Scope);
        var ordered = descending
            ? sessions.OrderByDescending(key).ThenByDescending(s => s.Id, StringComparer.Ordinal)
            : sessions.OrderBy(key).ThenBy(s => s.Id, StringComparer.Ordinal);
        return TypedResults.Ok(ordered.Skip((pageNumber - 1) * pageSize).Take(pageSize).Select(s => ToSession(tenant, s)).ToList());
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DeleteAsync(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "session_id")] string sessionId,
        HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = new InputErrors();
        InputRules.Id(errors, "user_id", userId);
        if (!SessionIdCodec.TryFromHex(sessionId, out var id))
        {
            errors.Add("session_id", "'session_id' must be a session id (32 hexadecimal digits).");
        }

        if (id is null || !errors.IsEmpty)
        {
            return ApiProblems.Validation(errors);
        }

        var outcome = await audit.RevokeAsync(grains, FacadeSupport.Tenant(context, caller), userId, id, DeleteReason, caller);

        // A session that already ended is gone as far as MonoCloud's list is concerned.
        return outcome.Error is SessionError.None ? TypedResults.NoContent() : ApiProblems.SessionNotFound(sessionId);
    }

    private static bool NotANumber(string? value) =>
        value is not null && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>The reason recorded in <c>end</c> for a MonoCloud delete, which carries none.</summary>
    public const string DeleteReason = "monocloud-delete";

    /// <summary><c>sort=key:1</c> or <c>key:-1</c>; newest first without one.</summary>
    private static (Func<Session, IComparable> Key, bool Descending) ParseSort(InputErrors errors, string? sort)
    {
        if (sort is null)
        {
            return (SortKeys["initiated_at"], true);
        }

        var colon = sort.LastIndexOf(':');
        if (colon <= 0 || !SortKeys.TryGetValue(sort[..colon], out var key) || sort[(colon + 1)..] is not ("1" or "-1"))
        {
            errors.Add("sort", $"'sort' must be 'key:1' or 'key:-1' with key one of {string.Join(", ", SortKeys.Keys)}.");
            return (SortKeys["initiated_at"], true);
        }

        return (key, sort.EndsWith("-1", StringComparison.Ordinal));
    }

    private static MonoCloudSession ToSession(string tenant, Session s)
    {
        var place = s.Locations.IsEmpty ? null : s.Locations[0];
        return new MonoCloudSession(
            FacadeSupport.EpochSeconds(s.ActiveAt),
            FacadeSupport.EpochSeconds(s.EffectiveExpiry),
            new MonoCloudMetadata(
                place?.Country,
                place?.City,
                Coordinate(place?.Latitude),
                FacadeSupport.LastIp(s),
                place?.Region,
                s.Device.UserAgent,
                Coordinate(place?.Longitude)),
            SessionKey(tenant, s),
            SessionIdCodec.ToHex(s.Id),
            FacadeSupport.EpochSeconds(s.CreatedAt),
            s.ClientIds);
    }

    /// <summary>MonoCloud's coordinates are decimal strings.</summary>
    private static string? Coordinate(double? value) => value?.ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// A stable 256-bit key naming the session across tenants: the SHA-256 of its owner and id. It is derived from
    /// public values only — never from the session token or its hash.
    /// </summary>
    private static string SessionKey(string tenant, Session s) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}/{s.UserId}/{s.Id}")));
}
