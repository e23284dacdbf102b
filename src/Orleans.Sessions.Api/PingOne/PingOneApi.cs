using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.PingOne;


/// <summary>
/// PingOne's user sessions (seed 001): the environment is the tenant; every retained session (expired ones
/// too), newest first, in HAL with absolute links built from the request; population-level administrators
/// are keys limited to populations (docs/compatibility.md).
/// </summary>
public static class PingOneApi
{
    public const string Tag = "PingOne";

    public static RouteGroupBuilder MapPingOneApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/environments/{envID}/users/{userID}/sessions").WithTags(Tag).WithMetadata(PingOneSurface.Instance).WithInputValidation();
        group.MapGet("/", ListAsync).RequireAuthorization(SessionsPolicies.Read)
            .WithName("PingOneReadAllSessions").WithSummary("All sessions of the user in the environment, newest first.");
        group.MapGet("/{sessionID}", GetAsync).ProducesNotFound().RequireAuthorization(SessionsPolicies.Read)
            .WithName("PingOneReadOneSession").WithSummary("One session of the user.");
        group.MapDelete("/{sessionID}", DeleteAsync).ProducesSessionProblems().RequireAuthorization(SessionsPolicies.Revoke)
            .WithName("PingOneDeleteSession").WithSummary("Ends one session of the user.");
        return group;
    }

    public static async Task<Ok<PingOneSessionList>> ListAsync([AsParameters] PingOneUserRoute route, HttpRequest request, Caller caller, IGrainFactory grains)
    {
        var sessions = await FacadeSupport.AllAsync(grains.UserSessions(route.EnvId, route.UserId), new SessionQuery(), caller.Scope);
        return TypedResults.Ok(ToList(sessions, new Links(request, route.EnvId, route.UserId)));
    }

    /// <summary>A user's sessions as PingOne lists them, with links under the request's own base address.</summary>
    internal static PingOneSessionList ToList(IReadOnlyCollection<Session> sessions, HttpRequest request, string envId, string userId) =>
        ToList(sessions, new Links(request, envId, userId));

    private static PingOneSessionList ToList(IReadOnlyCollection<Session> sessions, Links links) => new(
        new PingOneListLinks(new PingOneLink(links.Sessions)),
        new PingOneEmbedded([.. sessions.Select(s => ToSession(s, links))]),
        sessions.Count,
        sessions.Count);

    public static async Task<Results<Ok<PingOneSession>, ProblemHttpResult>> GetAsync(
        [AsParameters] PingOneSessionRoute route, HttpRequest request, Caller caller, IGrainFactory grains)
    {
        var session = await grains.UserSessions(route.EnvId, route.UserId).GetAsync(route.Id, caller.Scope);
        return session is null ? ApiProblems.SessionNotFound(route.SessionId) : TypedResults.Ok(ToSession(session, new Links(request, route.EnvId, route.UserId)));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        [AsParameters] PingOneSessionRoute route, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var outcome = await audit.RevokeAsync(grains, route.EnvId, route.UserId, route.Id, DeleteReason, caller);
        // Deleting a session that already ended leaves it ended: the state asked for, so 204 as well.
        return outcome.Error is SessionError.None or SessionError.NotActive
            ? TypedResults.NoContent()
            : ApiProblems.ForError(outcome.Error, route.SessionId, outcome.Session);
    }

    /// <summary>The reason recorded in <c>end</c> for a PingOne delete, which carries none.</summary>
    public const string DeleteReason = "pingone-delete";

    private static PingOneSession ToSession(Session s, Links links)
    {
        var id = SessionIdCodec.ToUuid(s.Id);
        return new PingOneSession(
            new PingOneSessionLinks(new PingOneLink(links.Session(id)), new PingOneLink(links.Environment), new PingOneLink(links.User)),
            id,
            new IdRef(s.Tenant),
            new IdRef(s.UserId),
            s.CreatedAt,
            s.ActiveAt,
            [.. s.Locations.Select(l => new PingOneLocation(l.At, l.Ip, l.City, l.Region, l.Country))],
            new PingOneSignOn(s.LastSignOn.Ip, s.LastSignOn.At),
            new NameVersion(s.Device.Browser.Name, s.Device.Browser.Version),
            new NameVersion(s.Device.Os.Name, s.Device.Os.Version),
            new PingOneDevice(TitleCase(s.Device.Type)));
    }

    private static string TitleCase(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];

    /// <summary>Absolute links, from the scheme, host and base path the request came to.</summary>
    private sealed class Links(HttpRequest request, string envID, string userID)
    {
        public string Environment { get; } = $"{request.Scheme}://{request.Host}{request.PathBase}/v1/environments/{Uri.EscapeDataString(envID)}";

        public string User => $"{Environment}/users/{Uri.EscapeDataString(userID)}";

        public string Sessions => $"{User}/sessions";

        public string Session(string id) => $"{Sessions}/{id}";
    }
}
