using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.Telemetry;

namespace Orleans.Sessions.Api.Auth;

/// <summary>Why a request was refused before reaching its handler.</summary>
public enum AuthFailure
{
    /// <summary>401: no credential.</summary>
    MissingCredential,

    /// <summary>401: a credential that is malformed, unknown, or no longer valid.</summary>
    InvalidCredential,

    /// <summary>403: a valid credential without the right (role, tenant, or kind of credential).</summary>
    Forbidden,

    /// <summary>The key needs a TOTP code for this and none was sent.</summary>
    TotpRequired,

    /// <summary>The TOTP code is wrong, too old, or was used already.</summary>
    TotpInvalid,

    /// <summary>429: the credential's rate limit is used up; <c>Retry-After</c> is set.</summary>
    RateLimited,

    /// <summary>503: the host has as many requests as it takes (<c>Sessions:Overload</c>); <c>Retry-After</c> is set.</summary>
    Overloaded,
}

/// <summary>
/// One API surface (the canonical API, or one of the seed APIs): which credential headers it accepts, where
/// its tenant and TOTP code come from, and how it words an error. Attached to its endpoints as metadata.
/// Every error of every surface is first a <see cref="ProblemDetails"/> with the canonical stable type, so
/// one code path decides what went wrong; a surface with errors of its own shape rewrites it at the end
/// (<see cref="SurfaceProblemDetailsWriter"/>).
/// </summary>
public abstract class ApiSurface
{
    /// <summary>The readers tried in order; the first that finds something decides.</summary>
    public abstract IReadOnlyList<ICredentialReader> CredentialReaders { get; }

    /// <summary>The header a TOTP code comes in.</summary>
    public virtual string TotpHeader => CanonicalSurface.TotpHeaderName;

    /// <summary>The header that names the second factor's method (only <c>totp</c> is offered), if the surface has one.</summary>
    public virtual string? TotpMethodHeader => null;

    /// <summary>The route value that names the tenant; on routes without it, the credential's own tenant is served.</summary>
    public virtual string TenantRouteValue => "tenant";

    /// <summary>The <c>WWW-Authenticate</c> challenge of a 401, if the surface sends one.</summary>
    public virtual string? Challenge => "Bearer";

    /// <summary>Whether errors are rewritten by <see cref="WriteErrorAsync"/> instead of written as problem details.</summary>
    public virtual bool HasOwnErrorShape => false;

    /// <summary>The status of a refusal on this surface.</summary>
    public virtual int StatusOf(AuthFailure failure) => failure switch
    {
        AuthFailure.MissingCredential or AuthFailure.InvalidCredential or AuthFailure.TotpRequired or AuthFailure.TotpInvalid => StatusCodes.Status401Unauthorized,
        AuthFailure.RateLimited => StatusCodes.Status429TooManyRequests,
        AuthFailure.Overloaded => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status403Forbidden,
    };

    /// <summary>The body and content type of this surface's errors with <paramref name="status"/>, as the OpenAPI document describes them.</summary>
    public virtual (Type Body, string ContentType) ErrorBody(int status) =>
        (status is StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails), "application/problem+json");

    /// <summary>The statuses a request with invalid parameters or fields is answered with on this surface.</summary>
    public virtual IReadOnlyList<int> ValidationStatuses { get; } = [StatusCodes.Status400BadRequest];

    /// <summary>Writes an error in this surface's own shape (only called when <see cref="HasOwnErrorShape"/>).</summary>
    public virtual Task WriteErrorAsync(HttpContext context, ProblemDetails problem) =>
        throw new NotSupportedException("This surface writes problem details.");

    /// <summary>Writes the whole response for a refusal (status, headers, body).</summary>
    public Task WriteFailureAsync(HttpContext context, AuthFailure failure)
    {
        var problem = FailureProblem(failure);
        context.RequestServices.GetRequiredService<SessionsMetrics>().Refused(failure, context);
        if (problem.Status == StatusCodes.Status401Unauthorized && Challenge is { } challenge)
        {
            context.Response.Headers.WWWAuthenticate = challenge;
        }

        context.Response.StatusCode = problem.Status!.Value;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        }).AsTask();
    }

    /// <summary>The problem a refusal is answered with (before the surface's writer puts it in its own shape).</summary>
    public ProblemDetails FailureProblem(AuthFailure failure)
    {
        var status = StatusOf(failure);
        var (title, type, detail) = failure switch
        {
            AuthFailure.MissingCredential => ("Unauthorized", ApiProblems.UnauthorizedType, "A credential is required."),
            AuthFailure.InvalidCredential => ("Unauthorized", ApiProblems.UnauthorizedType, "The credential is not valid."),
            AuthFailure.TotpRequired => ("TOTP code required", ApiProblems.TotpRequiredType, $"This key needs a current TOTP code in the {TotpHeader} header."),
            AuthFailure.TotpInvalid => ("TOTP code not valid", ApiProblems.TotpInvalidType, "The TOTP code is wrong, expired, or was already used."),
            AuthFailure.RateLimited => ("Too many requests", ApiProblems.RateLimitedType, "The credential's request rate limit is used up; retry after the time in Retry-After."),
            AuthFailure.Overloaded => ("Service overloaded", ApiProblems.UnavailableType, "The service has as many requests as it can take; retry after the time in Retry-After."),
            _ => ("Forbidden", ApiProblems.ForbiddenType, "The credential does not allow this operation."),
        };
        return new ProblemDetails { Status = status, Title = title, Type = type, Detail = detail };
    }

    /// <summary>
    /// The surface of the endpoint a request was routed to — also while an exception it threw is handled, when the
    /// exception handler has cleared the endpoint; else the one whose paths the request is under (routing answered it
    /// without an endpoint of the surface); else the canonical API.
    /// </summary>
    public static ApiSurface For(HttpContext context) =>
        (context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint)?.Metadata.GetMetadata<ApiSurface>()
            ?? ApiSurfaces.ByPath(context.Request.Path)
            ?? CanonicalSurface.Instance;

    /// <summary>
    /// The tenant a request acts on (docs/security.md, "Tenant scope"): the one its route names; else the credential's own (a
    /// session token's, a single-tenant key's); else, for a key of every tenant, <c>Sessions:DefaultTenant</c>.
    /// </summary>
    public static string TenantOf(HttpContext context, Caller? caller, string defaultTenant) =>
        context.GetRouteValue(For(context).TenantRouteValue) as string
            ?? (caller is { Tenant: not Caller.AllTenants } ? caller.Tenant : defaultTenant);
}

/// <summary>The canonical API: <c>Authorization: Bearer</c>, <c>X-TOTP</c>, problem details.</summary>
public sealed class CanonicalSurface : ApiSurface
{
    public const string TotpHeaderName = "X-TOTP";

    public static CanonicalSurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [BearerCredentialReader.Instance];
}

/// <summary>Writes the problems of surfaces that have an error shape of their own in that shape.</summary>
public sealed class SurfaceProblemDetailsWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => ApiSurface.For(context.HttpContext).HasOwnErrorShape;

    public ValueTask WriteAsync(ProblemDetailsContext context) =>
        new(ApiSurface.For(context.HttpContext).WriteErrorAsync(context.HttpContext, context.ProblemDetails));
}
