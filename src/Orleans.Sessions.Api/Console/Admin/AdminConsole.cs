using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Console.Pages;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// The administration pages (docs/console.md, "Administration"): sign in with an API key, pick a tenant, and the
/// tenant's pages under <c>/console/admin/tenants/{tenant}/</c>. Each tenant page declares the roles it needs
/// (<see cref="RequiresRoles"/>); one filter checks the sign-in, the tenant and those roles before any handler runs,
/// as the API's authorization does, and a handler that acts checks the form's anti-forgery token next.
/// </summary>
public static class AdminConsole
{
    public const string Path = "/console/admin";
    public const string SignInPath = "/console/admin/sign-in";
    public const string SignOutPath = "/console/admin/sign-out";
    public const string TenantsPath = "/console/admin/tenants";

    /// <summary>The roles that open any administration page; a key with none of them (write or events only) cannot sign in.</summary>
    private const SessionRoles ConsoleRoles = SessionRoles.Read | SessionRoles.ReadAll | SessionRoles.Revoke | SessionRoles.Admin;

    public static string TenantPath(string tenant, string rest) =>
        $"{TenantsPath}/{Uri.EscapeDataString(tenant)}/{rest}".TrimEnd('/');

    public static void MapAdminConsole(this RouteGroupBuilder console)
    {
        console.MapGet("/admin", HomeAsync);
        console.MapGet("/admin/sign-in", ShowSignInAsync);
        console.MapPost("/admin/sign-in", SignInAsync);
        console.MapPost("/admin/sign-out", SignOutAsync);
        console.MapGet("/admin/tenants", PickTenantAsync);

        var tenant = console.MapGroup("/admin/tenants/{tenant}").AddEndpointFilter(AdmitAsync);
        tenant.MapGet("/", (HttpContext http) => ConsoleEndpoints.SeeOther(AdminView.Of(http).PathOf("sessions")));
        tenant.MapAdminSessions();
        tenant.MapAdminCounts();
        tenant.MapAdminRevokeByQuery();
        tenant.MapAdminHistory();
        tenant.MapAdminReceivers();
        tenant.MapAdminPolicy();
    }

    private static async Task<IResult> HomeAsync(HttpContext http, AdminSignIns signIns)
    {
        if (await signIns.CallerAsync(http) is not { } caller)
        {
            return ConsoleEndpoints.SeeOther(SignInPath);
        }

        return ConsoleEndpoints.SeeOther(caller.Tenant == Caller.AllTenants ? TenantsPath : TenantPath(caller.Tenant, "sessions"));
    }

    private static async Task<IResult> ShowSignInAsync(HttpContext http, AdminSignIns signIns, IAntiforgery antiforgery)
    {
        if (await signIns.CallerAsync(http) is not null)
        {
            return ConsoleEndpoints.SeeOther(Path);
        }

        return SignInPage(http, antiforgery, error: null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> SignInAsync(
        HttpContext http, AdminSignIns signIns, ApiKeyRing keys, TotpVerifier totp, IAntiforgery antiforgery, SessionsAudit audit)
    {
        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        var form = http.Request.Form;
        var secret = form["key"].ToString();
        if (secret.Length == 0)
        {
            return SignInPage(http, antiforgery, "Enter an API key.", StatusCodes.Status400BadRequest);
        }

        // Every refusal reads the same, so the page says nothing of which keys exist or which need a code.
        const string Refused = "That key and code do not sign in here. Check them, and that the key has a role the console uses.";
        if (keys.Authenticate(secret) is not { } caller || (caller.Roles & ConsoleRoles) == 0)
        {
            return SignInPage(http, antiforgery, Refused, StatusCodes.Status401Unauthorized);
        }

        if (caller.TotpKey is { } totpKey && !await totp.VerifyAsync(caller.Name, totpKey, form["code"].ToString()))
        {
            return SignInPage(http, antiforgery, Refused, StatusCodes.Status401Unauthorized);
        }

        await signIns.BeginAsync(http, ApiKeyRing.HashOf(secret));
        audit.ConsoleSignedIn(caller);
        return ConsoleEndpoints.SeeOther(Path);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, AdminSignIns signIns, IAntiforgery antiforgery)
    {
        if (!await ConsoleEndpoints.IsGenuineFormAsync(http, antiforgery))
        {
            return ConsoleEndpoints.FormRefused();
        }

        await signIns.EndAsync(http);
        return ConsoleEndpoints.SeeOther($"{SignInPath}?signedOut=1");
    }

    private static async Task<IResult> PickTenantAsync(HttpContext http, string? tenant, AdminSignIns signIns, IAntiforgery antiforgery, IOptionsMonitor<SessionsAuthOptions> keys, IOptionsMonitor<SessionsTenancyOptions> tenancy)
    {
        if (await signIns.CallerAsync(http) is not { } caller)
        {
            return ConsoleEndpoints.SeeOther(SignInPath);
        }

        if (caller.Tenant != Caller.AllTenants)
        {
            return ConsoleEndpoints.SeeOther(TenantPath(caller.Tenant, "sessions"));
        }

        string? error = null;
        if (tenant is not null)
        {
            tenant = tenant.Trim();
            if (UserKey.IsValidId(tenant))
            {
                return ConsoleEndpoints.SeeOther(TenantPath(tenant, "sessions"));
            }

            error = SessionText.IdRule("tenant");
        }

        // The tenants this service is configured for: the default one and those its keys name. Any other can be typed.
        var known = keys.CurrentValue.Keys.Select(k => k.Tenant)
            .Append(tenancy.CurrentValue.DefaultTenant)
            .Where(t => t != Caller.AllTenants && UserKey.IsValidId(t))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return ConsoleEndpoints.Page<TenantPickerPage>(
            new { Admin = new AdminView(caller, null, CsrfToken.For(http, antiforgery)), Known = known, Error = error, Typed = tenant },
            error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    /// <summary>
    /// Before every tenant page: a current sign-in (else to the sign-in page, or 401 for a form), a key that works on the
    /// tenant, and the roles the endpoint names (else 403, whatever the request). Keeps the <see cref="AdminView"/>.
    /// </summary>
    private static async ValueTask<object?> AdmitAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var signIns = http.RequestServices.GetRequiredService<AdminSignIns>();
        if (await signIns.CallerAsync(http) is not { } caller)
        {
            AdminSignIns.Forget(http);
            return HttpMethods.IsGet(http.Request.Method)
                ? ConsoleEndpoints.SeeOther($"{SignInPath}?ended=1")
                : ConsoleEndpoints.Page<MessagePage>(
                    new { Heading = "Your sign-in has ended", Text = "Nothing was changed. Sign in again and try once more.", LinkHref = SignInPath, LinkText = "Sign in" },
                    StatusCodes.Status401Unauthorized);
        }

        var tenant = http.GetRouteValue("tenant") as string ?? "";
        if (!UserKey.IsValidId(tenant))
        {
            return ConsoleEndpoints.Page<MessagePage>(
                new { Heading = "No such tenant", Text = SessionText.IdRule("tenant"), LinkHref = Path, LinkText = "Back" },
                StatusCodes.Status404NotFound);
        }

        var needs = http.GetEndpoint()?.Metadata.GetMetadata<RequiresRoles>()?.Roles ?? SessionRoles.None;
        if (!caller.CoversTenant(tenant) || (caller.Roles & needs) != needs)
        {
            return ConsoleEndpoints.Page<MessagePage>(
                new { Heading = "Your key cannot do this", Text = $"The key {caller.Name} does not have the role this needs on tenant {tenant}. Nothing was changed.", LinkHref = Path, LinkText = "Back" },
                StatusCodes.Status403Forbidden);
        }

        new AdminView(caller, tenant, CsrfToken.For(http, http.RequestServices.GetRequiredService<IAntiforgery>())).Keep(http);
        return await next(context);
    }

    private static IResult SignInPage(HttpContext http, IAntiforgery antiforgery, string? error, int status)
    {
        var query = http.Request.Query;
        var notice = query.ContainsKey("signedOut") ? "You are signed out."
            : query.ContainsKey("ended") ? "Your sign-in ended. Sign in again to go on."
            : null;
        return ConsoleEndpoints.Page<SignInPage>(new { Csrf = CsrfToken.For(http, antiforgery), Error = error, Notice = notice }, status);
    }
}

/// <summary>The roles a tenant page of the console needs, as the API endpoint doing the same needs them.</summary>
public sealed record RequiresRoles(SessionRoles Roles);
