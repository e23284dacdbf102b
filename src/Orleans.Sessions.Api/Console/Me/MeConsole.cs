using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Console.Pages;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Console.Me;

/// <summary>
/// "Where you're signed in" for the end user (docs/console.md, "My sessions"). The application opens
/// <c>/console/me?token=…</c> with the user's session token once; the console checks it, keeps it in an HttpOnly,
/// Secure, SameSite=Strict cookie and redirects to <c>/console/me</c>, so the token leaves the address bar and the
/// history. Every request checks the cookie's token against its user grain, as the API checks a bearer token: a
/// session that ended ends the console too. The user's own sessions are read and ended through the same grain calls
/// and audit as <c>/v1/me/sessions</c>.
/// </summary>
public static class MeConsole
{
    /// <summary>The cookie that carries the session token: <c>__Host-</c>, so only this host over HTTPS, path <c>/</c>.</summary>
    public const string CookieName = "__Host-sessions-me";

    public const string Path = "/console/me";
    public const string SignOutOthersPath = "/console/me/sign-out-others";

    private const string EndReason = "signed out in the console";

    public static string SignOutPath(string sessionId) => $"/console/me/sessions/{Uri.EscapeDataString(sessionId)}/sign-out";

    public static void MapMeConsole(this RouteGroupBuilder console)
    {
        console.MapGet("/me", ShowAsync);
        console.MapGet("/me/sessions/{sessionId}/sign-out", ConfirmSignOutAsync);
        console.MapPost("/me/sessions/{sessionId}/sign-out", SignOutAsync);
        console.MapGet("/me/sign-out-others", ConfirmSignOutOthersAsync);
        console.MapPost("/me/sign-out-others", SignOutOthersAsync);
    }

    private static async Task<IResult> ShowAsync(
        HttpContext http, [FromQuery] string? token, [FromQuery] string? ended, SessionTokenAuthenticator tokens, IGrainFactory grains,
        [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        if (token is not null)
        {
            // The link's token is exchanged for the cookie once, and the address without it replaces the link.
            if (await tokens.AuthenticateAsync(token) is null)
            {
                return LinkEnded();
            }

            http.Response.Cookies.Append(CookieName, token, ConsoleEndpoints.HostCookie());
            return ConsoleEndpoints.SeeOther(Path);
        }

        if (await CallerAsync(http, tokens) is not { } caller)
        {
            return SignInEnded(http);
        }

        var page = await grains.UserSessions(caller.Tenant, caller.UserId!)
            .ListAsync(new SessionQuery { Status = SessionStatus.Active, Limit = SessionQuery.MaxLimit, Sort = SessionSortField.ActiveAt }, caller.Scope);
        var language = RelativeTime.LanguageOf(http.Request.Headers.AcceptLanguage);
        var now = clock.GetUtcNow();
        var cards = page.Items.Select(s => Card(s, caller.SessionId!, now, language)).ToList();
        var notice = ended switch
        {
            null => null,
            "others" => "You are signed out everywhere else.",
            _ => "That session is signed out.",
        };
        return ConsoleEndpoints.Page<MySessionsPage>(new { Model = new MySessionsModel(cards, language, notice) });
    }

    private static async Task<IResult> ConfirmSignOutAsync(
        HttpContext http, string sessionId, SessionTokenAuthenticator tokens, IGrainFactory grains, IAntiforgery antiforgery)
    {
        if (await CallerAsync(http, tokens) is not { } caller)
        {
            return SignInEnded(http);
        }

        var session = await grains.UserSessions(caller.Tenant, caller.UserId!).GetAsync(sessionId, caller.Scope);
        if (session is not { Status: SessionStatus.Active })
        {
            return ConsoleEndpoints.Page<MessagePage>(
                new { Heading = "That session is not active", Text = "It has ended already.", LinkHref = Path, LinkText = "Back to where you're signed in" },
                StatusCodes.Status404NotFound);
        }

        var device = SessionText.Device(session.Device);
        return ConsoleEndpoints.Page<ConfirmPage>(new
        {
            Question = $"Sign out of {device}?",
            Explanation = session.Id == caller.SessionId
                ? "This is the device you are using: you will be signed out here, and this page will close."
                : "Whoever uses that session will have to sign in again.",
            Action = SignOutPath(sessionId),
            ConfirmLabel = "Sign out",
            CancelHref = Path,
            Csrf = CsrfToken.For(http, antiforgery),
        });
    }

    private static async Task<IResult> SignOutAsync(
        HttpContext http, string sessionId, SessionTokenAuthenticator tokens, IGrainFactory grains, IAntiforgery antiforgery, SessionsAudit audit)
    {
        if (await CallerAsync(http, tokens) is not { } caller)
        {
            return SignInEnded(http);
        }

        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        var outcome = await audit.RevokeAsync(grains, caller.Tenant, caller.UserId!, sessionId, EndReason, caller);
        if (sessionId == caller.SessionId && outcome.Error is SessionError.None or SessionError.NotActive)
        {
            http.Response.Cookies.Delete(CookieName, ConsoleEndpoints.HostCookie());
            return ConsoleEndpoints.Page<MessagePage>(new { Heading = "You are signed out", Text = "This session has ended. You can close this page." });
        }

        return ConsoleEndpoints.SeeOther($"{Path}?ended={Uri.EscapeDataString(sessionId)}");
    }

    private static async Task<IResult> ConfirmSignOutOthersAsync(HttpContext http, SessionTokenAuthenticator tokens, IAntiforgery antiforgery)
    {
        if (await CallerAsync(http, tokens) is null)
        {
            return SignInEnded(http);
        }

        return ConsoleEndpoints.Page<ConfirmPage>(new
        {
            Question = "Sign out everywhere else?",
            Explanation = "Every other session of yours ends; this one stays.",
            Action = SignOutOthersPath,
            ConfirmLabel = "Sign out everywhere else",
            CancelHref = Path,
            Csrf = CsrfToken.For(http, antiforgery),
        });
    }

    private static async Task<IResult> SignOutOthersAsync(
        HttpContext http, SessionTokenAuthenticator tokens, IGrainFactory grains, IAntiforgery antiforgery, SessionsAudit audit)
    {
        if (await CallerAsync(http, tokens) is not { } caller)
        {
            return SignInEnded(http);
        }

        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        await audit.RevokeAllAsync(grains, caller.Tenant, caller.UserId!, caller.SessionId, EndReason, caller);
        return ConsoleEndpoints.SeeOther($"{Path}?ended=others");
    }

    /// <summary>The end user the cookie's session token names, while that session is active.</summary>
    private static async ValueTask<Caller?> CallerAsync(HttpContext http, SessionTokenAuthenticator tokens) =>
        http.Request.Cookies.TryGetValue(CookieName, out var token) && token is { Length: > 0 } ? await tokens.AuthenticateAsync(token) : null;


    private static IResult LinkEnded() => ConsoleEndpoints.Page<MessagePage>(
        new { Heading = "This link no longer works", Text = "Its session has ended, or the link is not complete. Open the page again from your application." },
        StatusCodes.Status401Unauthorized);

    private static IResult SignInEnded(HttpContext http)
    {
        http.Response.Cookies.Delete(CookieName, ConsoleEndpoints.HostCookie());
        return ConsoleEndpoints.Page<MessagePage>(
            new { Heading = "Open this page from your application", Text = "The session it was opened with has ended, or it was never opened with one." },
            StatusCodes.Status401Unauthorized);
    }

    private static SessionCard Card(Session session, string currentSessionId, DateTimeOffset now, string language)
    {
        return new SessionCard(
            session.Id,
            session.Device.Type,
            SessionText.Browser(session.Device.Browser.Name),
            SessionText.Os(session.Device.Os.Name),
            session.Locations.IsEmpty ? null : SessionText.Place(session.Locations[0]),
            session.ActiveAt,
            RelativeTime.Active(session.ActiveAt, now, language),
            session.Id == currentSessionId,
            PlaceVisit.Timeline(session, now, language));
    }
}
