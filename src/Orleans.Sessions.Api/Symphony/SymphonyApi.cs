using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Symphony;


/// <summary>
/// Symphony's Pod API (seed 000): a user's sessions at <c>/pod/v1/users/{uid}/sessions</c>, with the
/// <c>sessionToken</c> header carrying an API key or the user's own session token (docs/compatibility.md).
/// </summary>
public static class SymphonyApi
{
    public const string Tag = "Symphony Pod API";

    public static RouteGroupBuilder MapSymphonyApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/pod/v1/users/{uid}/sessions").WithTags(Tag).WithMetadata(SymphonySurface.Instance).WithInputValidation();
        group.MapGet("/", ListAsync).RequireAuthorization(SessionsPolicies.RoleOrOwner(SessionRoles.Read, "uid"))
            .WithName("SymphonyListSessions").WithSummary("Lists all sessions for the user identified by {uid}.");
        var logout = group.MapGroup("").RequireAuthorization(SessionsPolicies.RoleOrOwner(SessionRoles.Revoke, "uid"));
        logout.MapPost("/{sid}/logout", LogoutAsync).ProducesSessionProblems().WithName("SymphonyLogoutSession").WithSummary("Ends one session of the user.");
        logout.MapPost("/logout", LogoutAllAsync).WithName("SymphonyLogoutAllSessions").WithSummary("Ends every session of the user.");
        return group;
    }

    public static async Task<Results<Ok<V1UserSessions>, NoContent>> ListAsync(
        [AsParameters] SymphonyUserRoute route, HttpContext context, Caller caller, IGrainFactory grains)
    {
        var sessions = await FacadeSupport.AllAsync(
            grains.UserSessions(FacadeSupport.Tenant(context, caller), route.Uid), new SessionQuery { Status = SessionStatus.Active }, caller.Scope);
        if (sessions.Count == 0)
        {
            return TypedResults.NoContent();
        }

        return TypedResults.Ok(new V1UserSessions([.. sessions.Select(s => ToV1Session(s, route.NumericId))]));
    }

    public static async Task<Results<Ok<SuccessResponse>, ProblemHttpResult>> LogoutAsync(
        [AsParameters] SymphonySessionRoute route, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var outcome = await audit.RevokeAsync(grains, FacadeSupport.Tenant(context, caller), route.Uid, route.Id, LogoutReason, caller);
        return outcome.Error == SessionError.None ? TypedResults.Ok(SuccessResponse.Ok) : ApiProblems.ForError(outcome.Error, route.Id, outcome.Session);
    }

    public static async Task<Ok<SuccessResponse>> LogoutAllAsync(
        [AsParameters] SymphonyUserRoute route, HttpContext context, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        await audit.RevokeAllAsync(grains, FacadeSupport.Tenant(context, caller), route.Uid, null, LogoutReason, caller);
        return TypedResults.Ok(SuccessResponse.Ok);
    }

    /// <summary>The reason recorded in <c>end</c> for Symphony's logouts, which carry none.</summary>
    public const string LogoutReason = "symphony-logout";

    internal static V1Session ToV1Session(Session s, long userId) => new(
        s.Id,
        FacadeSupport.CreationIp(s),
        userId,
        s.Device.UserAgent,
        Join(s.Device.Browser.Name, s.Device.Browser.Version),
        Join(s.Device.Os.Name, s.Device.Os.Version),
        s.Device.Model is { } model ? Join(s.Device.Vendor ?? "", model).Trim() : s.Device.Type,
        s.Device.Hash,
        FacadeSupport.EpochMilliseconds(s.CreatedAt),
        FacadeSupport.EpochMilliseconds(s.EffectiveExpiry));

    private static string Join(string name, string? version) => version is null ? name : $"{name} {version}";
}
