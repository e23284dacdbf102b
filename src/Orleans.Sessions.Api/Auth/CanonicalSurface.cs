using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.Auth;

/// <summary>The canonical API: <c>Authorization: Bearer</c>, <c>X-TOTP</c>, problem details.</summary>
public sealed class CanonicalSurface : ApiSurface
{
    public const string TotpHeaderName = "X-TOTP";

    public static CanonicalSurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [BearerCredentialReader.Instance];

    public override string TotpHeader => TotpHeaderName;

    public override Task WriteFailureAsync(HttpContext context, AuthFailure failure)
    {
        var (status, title, type, detail) = failure switch
        {
            AuthFailure.MissingCredential => (401, "Unauthorized", ApiProblems.UnauthorizedType, "A credential is required: Authorization: Bearer <API key or session token>."),
            AuthFailure.InvalidCredential => (401, "Unauthorized", ApiProblems.UnauthorizedType, "The credential is not valid."),
            AuthFailure.TotpRequired => (401, "TOTP code required", ApiProblems.TotpRequiredType, $"This key needs a current TOTP code in the {TotpHeaderName} header."),
            AuthFailure.TotpInvalid => (401, "TOTP code not valid", ApiProblems.TotpInvalidType, "The TOTP code is wrong, expired, or was already used."),
            AuthFailure.RateLimited => (429, "Too many requests", ApiProblems.RateLimitedType, "The credential's request rate limit is used up; retry after the time in Retry-After."),
            _ => (403, "Forbidden", ApiProblems.ForbiddenType, "The credential does not allow this operation."),
        };
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }

        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Type = type, Detail = detail },
        }).AsTask();
    }
}
