using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Compat;

/// <summary>What the seed-API façades share: the request's tenant, a user's whole list, error wording.</summary>
public static class FacadeSupport
{
    /// <summary>The tenant of a façade request (<see cref="ApiSurface.TenantOf"/>).</summary>
    public static string Tenant(HttpContext context, Caller caller) =>
        ApiSurface.TenantOf(context, caller, context.RequestServices.GetRequiredService<IOptionsMonitor<SessionsTenancyOptions>>().CurrentValue.DefaultTenant);

    /// <summary>Every session of a user that matches <paramref name="query"/> (a ring is small: a few pages at most).</summary>
    public static async Task<List<Session>> AllAsync(IUserSessionsGrain user, SessionQuery query, SessionScope scope)
    {
        var all = new List<Session>();
        var page = await user.ListAsync(query with { Limit = SessionQuery.MaxLimit }, scope);
        all.AddRange(page.Items);
        while (page.Next is { } next)
        {
            page = await user.ListAsync(query with { Limit = SessionQuery.MaxLimit, After = next }, scope);
            all.AddRange(page.Items);
        }

        return all;
    }

    /// <summary>One sentence for an error body: the detail, or every validation message.</summary>
    public static string MessageOf(ProblemDetails problem) => problem is HttpValidationProblemDetails { Errors.Count: > 0 } validation
        ? string.Join(" ", validation.Errors.SelectMany(e => e.Value))
        : problem.Detail ?? problem.Title ?? "The request failed.";

    public static bool Is(ProblemDetails problem, string type) => string.Equals(problem.Type, type, StringComparison.Ordinal);

    /// <summary>Writes <paramref name="body"/> as the error response with <paramref name="status"/>.</summary>
    public static Task WriteJsonAsync<T>(HttpContext context, int status, T body, string contentType = "application/json")
    {
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = status;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(body, options, contentType);
    }

    /// <summary>Epoch milliseconds (Symphony) and seconds (MonoCloud).</summary>
    public static long EpochMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long EpochSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    /// <summary>The address the session was last used from.</summary>
    public static string LastIp(Session session) => session.Locations.IsEmpty ? session.LastSignOn.Ip : session.Locations[0].Ip;

    /// <summary>
    /// The address the session was created from. Records stored before <see cref="Session.CreationIp"/> existed
    /// fall back to the oldest address they still hold — the first sign-on's unless the sign-on history and
    /// the locations have both dropped it since.
    /// </summary>
    public static string CreationIp(Session session)
    {
        if (session.CreationIp is { } kept)
        {
            return kept;
        }

        var signOn = session.SignOns.IsEmpty ? session.LastSignOn : session.SignOns[^1];
        return !session.Locations.IsEmpty && session.Locations[^1].At < signOn.At ? session.Locations[^1].Ip : signOn.Ip;
    }

    /// <summary>Whether JSON text is well-formed, for façades that take JSON in a query parameter.</summary>
    public static JsonDocument? TryParseJson(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
