using System.Net;
using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.Dashboard;

/// <summary>
/// Who may see the dashboard: an operator's key — <c>sessions:admin</c> on every tenant — presented once on the login
/// page, then kept in a cookie only the dashboard's paths receive (<c>HttpOnly</c>, <c>Secure</c>, <c>SameSite=Strict</c>),
/// or sent as <c>Authorization: Bearer</c> by a script. The key is checked again on every request, so removing it
/// or its role ends access at once. Anonymous page loads go to the login page; anything else answers 401, and a
/// key without the role 403, and a path the dashboard cannot parse (a silo address) 400. A middleware on the
/// dashboard's paths rather than an endpoint filter: the dashboard serves its pages and assets from plain request
/// delegates, which endpoint filters never see.
/// </summary>
public sealed class DashboardAccess(RequestDelegate next, ApiKeyRing keys)
{
    public const string CookieName = "sessions_dashboard";
    public const string LoginPath = SessionsDashboard.Path + "/login";
    public const string LogoutPath = SessionsDashboard.Path + "/logout";

    /// <summary>How long a browser keeps the key: one working day.</summary>
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromHours(8);

    /// <summary>Whether a request goes through this gate: the dashboard's paths but its sign-in and sign-out.</summary>
    public static bool Guards(PathString path) =>
        path.StartsWithSegments(SessionsDashboard.Path, StringComparison.Ordinal)
        && !path.StartsWithSegments(LoginPath, StringComparison.Ordinal)
        && !path.StartsWithSegments(LogoutPath, StringComparison.Ordinal);

    public async Task InvokeAsync(HttpContext http)
    {
        var caller = http.Request.Cookies.TryGetValue(CookieName, out var key) && key is { Length: > 0 }
            ? keys.Authenticate(key)
            : Caller.Of(http.User);
        if (caller is null)
        {
            var refusal = IsPage(http.Request)
                ? Results.Redirect(LoginPath)
                : Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "An operator's key is required", type: ApiProblems.UnauthorizedType);
            await refusal.ExecuteAsync(http);
            return;
        }

        if (!IsOperator(caller))
        {
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The dashboard needs sessions:admin on every tenant", type: ApiProblems.ForbiddenType)
                .ExecuteAsync(http);
            return;
        }

        try
        {
            await next(http);
        }
        catch (Exception exception) when (IsBadInput(exception) && !http.Response.HasStarted)
        {
            // The dashboard parses silo addresses and grain keys from its paths and throws on one it cannot read (a format
            // or argument exception, from the parser or from the grain reference it makes): a bad request.
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The dashboard could not read that address", type: ApiProblems.BadRequestType)
                .ExecuteAsync(http);
        }
    }

    private static bool IsBadInput(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is FormatException or ArgumentException)
            {
                return true;
            }
        }

        return false;
    }

    public static IResult LoginPage() => Page(HttpStatusCode.OK, null);

    public static async Task<IResult> LoginAsync(HttpContext http, ApiKeyRing keys)
    {
        if (!http.Request.HasFormContentType)
        {
            return Page(HttpStatusCode.BadRequest, "Send the form.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var caller = form["key"] is [{ Length: > 0 } key] ? keys.Authenticate(key) : null;
        if (caller is null)
        {
            return Page(HttpStatusCode.Unauthorized, "That is not a key of this service.");
        }

        if (!IsOperator(caller))
        {
            return Page(HttpStatusCode.Forbidden, "That key does not hold sessions:admin on every tenant.");
        }

        http.Response.Cookies.Append(CookieName, form["key"].ToString(), new CookieOptions
        {
            Path = SessionsDashboard.Path,
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.Strict,
            MaxAge = CookieLifetime,
            IsEssential = true,
        });
        return Results.Redirect(SessionsDashboard.Path + "/", permanent: false, preserveMethod: false);
    }

    public static IResult Logout(HttpContext http)
    {
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = SessionsDashboard.Path, Secure = true, HttpOnly = true, SameSite = SameSiteMode.Strict });
        return Results.Redirect(LoginPath);
    }

    private static bool IsOperator(Caller caller) =>
        caller.Kind != CallerKind.SessionToken && caller.Roles.HasFlag(SessionRoles.Admin) && caller.Tenant == Caller.AllTenants;

    /// <summary>A browser loading a page (rather than the dashboard's script fetching data).</summary>
    private static bool IsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && (request.Path == SessionsDashboard.Path || request.Path == SessionsDashboard.Path + "/" || request.Path == SessionsDashboard.Path + "/index.html");

    /// <summary>The login form: no script, nothing inline for a Content-Security-Policy to allow, never framed.</summary>
    private static IResult Page(HttpStatusCode status, string? message)
    {
        var notice = message is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(message)}</p>";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Orleans.Sessions dashboard</title></head>
            <body>
            <h1>Orleans.Sessions dashboard</h1>
            {notice}
            <form method="post" action="{LoginPath}">
            <label for="key">Operator key (sessions:admin on every tenant)</label>
            <input id="key" name="key" type="password" autocomplete="off" required>
            <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """;
        return new LoginPageResult(html, (int)status);
    }

    private sealed class LoginPageResult(string html, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = status;
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
            http.Response.Headers.XFrameOptions = "DENY";
            http.Response.Headers.CacheControl = "no-store";
            http.Response.ContentType = "text/html; charset=utf-8";
            return http.Response.WriteAsync(html, http.RequestAborted);
        }
    }
}
