using System.Diagnostics;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Console.Me;
using Orleans.Sessions.Api.Console.Pages;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// Sessions in the administration pages (docs/console.md, "Administration"): list-all's search, a user's sessions with
/// their places, and ending one with a reason — the same grain calls, scope and audit as the API's list-all
/// (<c>sessions:read-all</c>), a user's list (<c>sessions:read</c>) and revoke (<c>sessions:revoke</c>).
/// </summary>
public static class AdminSessions
{
    public static void MapAdminSessions(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/sessions", SearchAsync);
        tenant.MapGet("/users", OpenUser).WithMetadata(new RequiresRoles(SessionRoles.Read));
        tenant.MapGet("/users/{userId}", UserAsync).WithMetadata(new RequiresRoles(SessionRoles.Read));
        tenant.MapGet("/users/{userId}/sessions/{sessionId}/revoke", ConfirmRevokeAsync).WithMetadata(new RequiresRoles(SessionRoles.Read | SessionRoles.Revoke));
        tenant.MapPost("/users/{userId}/sessions/{sessionId}/revoke", RevokeAsync).WithMetadata(new RequiresRoles(SessionRoles.Read | SessionRoles.Revoke));
    }

    public static string UserPath(AdminView admin, string userId) => admin.PathOf($"users/{Uri.EscapeDataString(userId)}");

    public static string RevokePath(AdminView admin, string userId, string sessionId) =>
        admin.PathOf($"users/{Uri.EscapeDataString(userId)}/sessions/{Uri.EscapeDataString(sessionId)}/revoke");

    /// <summary>
    /// List-all with the form's filters, for a key with <c>sessions:read-all</c>; any other key sees the form to open a
    /// user by id. The time the directory took is in <c>Server-Timing</c>.
    /// </summary>
    private static async Task<IResult> SearchAsync(
        HttpContext http, IGrainFactory grains, SessionsAudit audit, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        var admin = AdminView.Of(http);
        var form = SearchForm.Read(http.Request.Query);
        var language = RelativeTime.LanguageOf(http.Request.Headers.AcceptLanguage);
        if (!admin.CanReadAll)
        {
            return Search(new SessionSearchModel(admin, form, AdminView.NoErrors, null, language));
        }

        var errors = new InputErrors();
        var filter = form.Filter(admin.Caller, errors);
        var page = form.Page(errors);
        if (filter is null || page is null)
        {
            return Search(new SessionSearchModel(admin, form, errors.ToDictionary(), null, language), StatusCodes.Status400BadRequest);
        }

        var query = page with { Filter = filter };
        var started = Stopwatch.GetTimestamp();
        var answer = await grains.GetGrain<IDirectoryGrain>(admin.Tenant!).ListAsync(query);
        ServerTiming.Add(http, "directory", started);
        audit.ListedAll(admin.Caller, admin.Tenant!, "list-all", answer.Total);

        var now = clock.GetUtcNow();
        var path = admin.PathOf("sessions");
        var rows = answer.Items.Select(item => Row(admin, item, now, language)).ToList();
        var next = answer.Next is { } position ? form.Href(path, ListCursor.Encode(query.Sort, query.Descending, position)) : null;
        return Search(new SessionSearchModel(admin, form, AdminView.NoErrors, new SearchResults(answer.Total, rows, form.Href(path), next, form.IsLaterPage), language));
    }

    /// <summary>The "open a user by id" form: to that user's page.</summary>
    private static IResult OpenUser(HttpContext http, [FromQuery] string? user)
    {
        var admin = AdminView.Of(http);
        return user?.Trim() is { } userId && UserKey.IsValidId(userId)
            ? ConsoleEndpoints.SeeOther(UserPath(admin, userId))
            : NotFound(admin, "No such user", SessionText.IdRule("user"));
    }

    private static async Task<IResult> UserAsync(
        HttpContext http, string userId, [FromQuery] string? ended, IGrainFactory grains,
        [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        var admin = AdminView.Of(http);
        if (!UserKey.IsValidId(userId))
        {
            return NotFound(admin, "No such user", SessionText.IdRule("user"));
        }

        var page = await grains.UserSessions(admin.Tenant!, userId)
            .ListAsync(new SessionQuery { Limit = SessionQuery.MaxLimit, Sort = SessionSortField.CreatedAt }, admin.Caller.Scope);
        var language = RelativeTime.LanguageOf(http.Request.Headers.AcceptLanguage);
        var now = clock.GetUtcNow();
        var rows = page.Items.Select(s => Row(admin, s, now, language)).ToList();
        var notice = ended is null ? null : "The session is revoked.";
        return ConsoleEndpoints.Page<UserSessionsPage>(new { Model = new UserSessionsModel(admin, userId, rows, notice, language) });
    }

    private static async Task<IResult> ConfirmRevokeAsync(
        HttpContext http, string userId, string sessionId, IGrainFactory grains, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        var admin = AdminView.Of(http);
        if (await ActiveSessionAsync(admin, userId, sessionId, grains) is not { } session)
        {
            return NotActive(admin, userId);
        }

        var language = RelativeTime.LanguageOf(http.Request.Headers.AcceptLanguage);
        return RevokePage(new RevokeSessionModel(admin, userId, Row(admin, session, clock.GetUtcNow(), language), "", null));
    }

    private static async Task<IResult> RevokeAsync(
        HttpContext http, string userId, string sessionId, IGrainFactory grains, IAntiforgery antiforgery, SessionsAudit audit,
        [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        var admin = AdminView.Of(http);
        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        if (await ActiveSessionAsync(admin, userId, sessionId, grains) is not { } session)
        {
            return NotActive(admin, userId);
        }

        var reason = http.Request.Form["reason"].ToString().Trim();
        var errors = new InputErrors();
        InputRules.Text(errors, "reason", reason, maxLength: RequestRules.MaxReasonLength);
        if (reason.Length == 0 || !errors.IsEmpty)
        {
            var language = RelativeTime.LanguageOf(http.Request.Headers.AcceptLanguage);
            var error = reason.Length == 0 ? "Say why the session is revoked: the reason is kept with it and in the audit history."
                : $"The reason is at most {RequestRules.MaxReasonLength} characters, without control characters.";
            return RevokePage(new RevokeSessionModel(admin, userId, Row(admin, session, clock.GetUtcNow(), language), reason, error), StatusCodes.Status400BadRequest);
        }

        var outcome = await audit.RevokeAsync(grains, admin.Tenant!, userId, sessionId, reason, admin.Caller);
        return outcome.Error switch
        {
            SessionError.None => ConsoleEndpoints.SeeOther($"{UserPath(admin, userId)}?ended={Uri.EscapeDataString(sessionId)}"),
            _ => NotActive(admin, userId),
        };
    }

    private static async Task<Session?> ActiveSessionAsync(AdminView admin, string userId, string sessionId, IGrainFactory grains) =>
        UserKey.IsValidId(userId) && await grains.UserSessions(admin.Tenant!, userId).GetAsync(sessionId, admin.Caller.Scope) is { Status: SessionStatus.Active } session
            ? session
            : null;

    private static IResult Search(SessionSearchModel model, int status = StatusCodes.Status200OK) =>
        ConsoleEndpoints.Page<SessionSearchPage>(new { Model = model }, status);

    private static IResult RevokePage(RevokeSessionModel model, int status = StatusCodes.Status200OK) =>
        ConsoleEndpoints.Page<RevokeSessionPage>(new { Model = model }, status);

    private static IResult NotActive(AdminView admin, string userId) =>
        NotFound(admin, "That session is not active", "It has ended already, or it is not one this key can see.", UserKey.IsValidId(userId) ? UserPath(admin, userId) : null);

    private static IResult NotFound(AdminView admin, string heading, string text, string? back = null) =>
        ConsoleEndpoints.Page<MessagePage>(
            new { Heading = heading, Text = text, LinkHref = back ?? admin.PathOf("sessions"), LinkText = "Back" },
            StatusCodes.Status404NotFound);

    internal static SearchRow Row(AdminView admin, DirectoryItem item, DateTimeOffset now, string language)
    {
        var s = item.Session;
        var login = new DateTimeOffset(s.CreatedAt, TimeSpan.Zero);
        var active = new DateTimeOffset(s.ActiveAt, TimeSpan.Zero);
        return new SearchRow(
            s.SessionId,
            s.UserId,
            item.DisplayName ?? item.UserName ?? s.UserId,
            UserPath(admin, s.UserId),
            s.DeviceType,
            $"{SessionText.Browser(s.Browser)} on {SessionText.Os(s.Os)}",
            SessionText.Place(s.City, s.CountryCode),
            s.Ip,
            s.AuthMethod,
            login,
            RelativeTime.Ago(login, now, language),
            active,
            RelativeTime.Ago(active, now, language),
            s.RiskSignals.IsDefaultOrEmpty ? 0 : s.RiskScore,
            s.RiskSignals.IsDefault ? [] : s.RiskSignals,
            admin.CanRevoke && admin.CanRead ? RevokePath(admin, s.UserId, s.SessionId) : null);
    }

    private static UserSessionRow Row(AdminView admin, Session session, DateTimeOffset now, string language)
    {
        var active = session.Status == SessionStatus.Active;
        return new UserSessionRow(
            session.Id,
            session.Status.ToString().ToLowerInvariant(),
            session.Device.Type,
            SessionText.Device(session.Device),
            session.Locations.IsEmpty ? null : SessionText.Place(session.Locations[0]),
            session.AuthMethod,
            session.ClientIds,
            session.CreatedAt,
            session.ActiveAt,
            RelativeTime.Ago(session.ActiveAt, now, language),
            session.EndedAt,
            session.End?.By,
            session.End?.Reason,
            session.Risk?.Score ?? 0,
            session.Risk is { } risk ? risk.Signals : [],
            PlaceVisit.Timeline(session, now, language),
            active && admin.CanRevoke ? RevokePath(admin, session.UserId, session.Id) : null);
    }
}
