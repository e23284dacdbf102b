using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Orleans.Sessions.Api.WorkOs;

/// <summary>
/// <c>X-Request-ID</c> on every WorkOS answer, which WorkOS' clients put into each error they raise: the id the
/// request came with when it is a short plain token (a proxy's or the caller's own), else the request's trace
/// id (the <c>traceId</c> of canonical problem details), which names it in traces and logs.
/// </summary>
public static class WorkOsRequestId
{
    public const string Header = "X-Request-ID";

    public const int MaxLength = 128;

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:");

    public static void Set(HttpContext context)
    {
        if (!context.Response.HasStarted)
        {
            context.Response.Headers[Header] = Of(context);
        }
    }

    public static string Of(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (context.Request.Headers[Header] is [{ } sent] && IsToken(sent))
        {
            activity?.SetTag("http.request.header.x-request-id", sent);
            return sent;
        }

        return activity?.Id ?? context.TraceIdentifier;
    }

    public static bool IsToken(string value) => value.Length is > 0 and <= MaxLength && !value.AsSpan().ContainsAnyExcept(TokenChars);
}
