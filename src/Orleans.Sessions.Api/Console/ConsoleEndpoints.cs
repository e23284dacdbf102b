using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Console.Admin;
using Orleans.Sessions.Api.Console.Me;
using Orleans.Sessions.Api.Console.Pages;

namespace Orleans.Sessions.Api.Console;

/// <summary>
/// The web console under <c>/console/</c> (docs/console.md): pages rendered on the server by Razor components from the
/// same grain calls as the API, no script at all, one stylesheet and one icon sheet with fingerprinted names, and
/// headers that allow nothing else — a Content-Security-Policy without inline anything, no framing but by the origins
/// <c>Sessions:Console:FrameAncestors</c> names, no referrer, nothing cached.
/// </summary>
public static class ConsoleEndpoints
{
    public const string BasePath = "/console";

    public static IServiceCollection AddSessionsConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>());
        services.TryAddSingleton<ConsoleAssets>();
        services.TryAddSingleton<AdminSignIns>();
        services.AddRazorComponents();
        // One key ring for every host (in grain storage): a form issued by one host is accepted by another.
        services.AddDataProtection().SetApplicationName("Orleans.Sessions");
        services.AddOptions<KeyManagementOptions>().Configure<IGrainFactory>((o, grains) => o.XmlRepository = new GrainXmlRepository(grains));
        services.AddAntiforgery(o =>
        {
            // Secure over HTTPS; ASP.NET refuses to issue an always-Secure one on a plain-HTTP request (a test, a proxy
            // that does not say it terminated TLS), and the token is worthless without the session cookie, which is.
            o.Cookie.Name = "sessions-csrf";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.FormFieldName = "csrf";
            o.SuppressXFrameOptionsHeader = true; // The console's own headers decide who may frame a page.
        });
        return services;
    }

    public static void MapSessionsConsole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.Enabled)
        {
            return;
        }

        var console = app.MapGroup(BasePath).ExcludeFromDescription().AddEndpointFilter(SecurityHeaders);
        console.MapGet("/assets/{name}", ServeAsset);
        console.MapMeConsole();
        console.MapAdminConsole();
    }

    /// <summary>A page with <paramref name="parameters"/>, answered with <paramref name="status"/>.</summary>
    internal static RazorComponentResult<TPage> Page<TPage>(object parameters, int status = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent =>
        new(parameters) { StatusCode = status };

    /// <summary>
    /// The console's cookies (the end user's token, the administrator's handle): <c>__Host-</c> names, so HttpOnly, Secure,
    /// SameSite=Strict, path <c>/</c>, no domain — this host only, over HTTPS.
    /// </summary>
    internal static CookieOptions HostCookie() =>
        new() { HttpOnly = true, Secure = true, SameSite = SameSiteMode.Strict, Path = "/", IsEssential = true };

    /// <summary>303 See Other to <paramref name="path"/>: after a form, the browser asks for the next page with GET.</summary>
    internal static IResult SeeOther(string path) => new SeeOtherResult(path);

    /// <summary>
    /// Whether the request is a form this console issued: its anti-forgery token and cookie match. A body that is no
    /// readable form (a broken multipart, say) is no such form either.
    /// </summary>
    internal static async Task<bool> IsGenuineFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(http);
        }
        catch (Exception exception) when (exception is AntiforgeryValidationException or InvalidDataException or IOException or BadHttpRequestException)
        {
            return false;
        }
    }

    /// <summary>A form without this console's anti-forgery token (another site's, or a stale one): 403, nothing done.</summary>
    internal static IResult FormRefused() => Page<MessagePage>(
        new { Heading = "This form was refused", Text = "It did not come from this page, or it is too old. Nothing was changed; go back and try again." },
        StatusCodes.Status403Forbidden);

    private sealed class SeeOtherResult(string path) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = path;
            return Task.CompletedTask;
        }
    }

    private static IResult ServeAsset(string name, HttpContext http, ConsoleAssets assets)
    {
        if (assets.Find(name) is not { } asset)
        {
            return Results.NotFound();
        }

        // The name carries a digest of the content: it never changes under this name.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static async ValueTask<object?> SecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        var headers = http.Response.Headers;
        // Only the end user's pages may be framed, and only by the origins configured for it.
        var framers = http.Request.Path.StartsWithSegments(MeConsole.Path) && options.FrameAncestors.Length > 0
            ? string.Join(' ', options.FrameAncestors)
            : "'none'";
        headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors {framers}";
        if (framers == "'none'")
        {
            headers.XFrameOptions = "DENY";
        }

        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!http.Request.Path.StartsWithSegments(ConsoleAssets.BasePath.TrimEnd('/')))
        {
            // What anti-forgery sets on a page with a form: said first, it has nothing to override (and no warning to log).
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }

        return await next(context);
    }
}
