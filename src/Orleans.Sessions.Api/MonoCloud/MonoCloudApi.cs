using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
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
    public static RouteGroupBuilder MapMonoCloudApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users/{user_id}/sessions").WithTags(Tag).WithMetadata(MonoCloudSurface.Instance).WithInputValidation();
        group.MapGet("/", ListAsync).RequireAuthorization(SessionsPolicies.Read)
            .WithName("MonoCloudGetAllSessions").WithSummary("A page of the user's sessions.");
        group.MapDelete("/{session_id}", DeleteAsync).ProducesNotFound().RequireAuthorization(SessionsPolicies.Revoke)
            .WithName("MonoCloudRevokeSession").WithSummary("Ends one session of the user.");
        return group;
    }

    public static async Task<Ok<List<MonoCloudSession>>> ListAsync(
        [AsParameters] MonoCloudUserRoute route, [AsParameters] MonoCloudListParameters list, HttpContext context, Caller caller, IGrainFactory grains)
    {
        var tenant = FacadeSupport.Tenant(context, caller);
        var sessions = await FacadeSupport.AllAsync(
            grains.UserSessions(tenant, route.UserId), new SessionQuery { Status = SessionStatus.Active, ClientId = list.ClientId }, caller.Scope);
        return TypedResults.Ok(list.PageOf(sessions).Select(s => ToSession(tenant, s)).ToList());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        [AsParameters] MonoCloudSessionRoute route, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var outcome = await audit.RevokeAsync(grains, FacadeSupport.Tenant(context, caller), route.UserId, route.Id, DeleteReason, caller);

        // A session that already ended is gone as far as MonoCloud's list is concerned.
        return outcome.Error is SessionError.None ? TypedResults.NoContent() : ApiProblems.SessionNotFound(route.SessionId);
    }

    /// <summary>The reason recorded in <c>end</c> for a MonoCloud delete, which carries none.</summary>
    public const string DeleteReason = "monocloud-delete";

    internal static MonoCloudSession ToSession(string tenant, Session s)
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
