using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Orleans.Sessions.Api.Console;

/// <summary>The anti-forgery field a console form carries (docs/console.md, "Security").</summary>
public sealed record CsrfToken(string FieldName, string Token)
{
    /// <summary>Issues the token for <paramref name="http"/>'s response (with its cookie).</summary>
    public static CsrfToken For(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return new CsrfToken(tokens.FormFieldName, tokens.RequestToken!);
    }
}
