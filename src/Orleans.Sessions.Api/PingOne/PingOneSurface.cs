using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;

namespace Orleans.Sessions.Api.PingOne;

/// <summary><c>Authorization: Bearer</c>; the environment from the path; errors in PingOne's shape.</summary>
public sealed class PingOneSurface : ApiSurface
{
    public static PingOneSurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [BearerCredentialReader.Instance];

    public override string TenantRouteValue => "envID";

    public override bool HasOwnErrorShape => true;

    public override (Type Body, string ContentType) ErrorBody(int status) => (typeof(PingOneError), "application/json");

    public override Task WriteErrorAsync(HttpContext context, ProblemDetails problem)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var (code, message) = status switch
        {
            400 or 413 or 415 => ("INVALID_DATA", "The request could not be completed. One or more validation errors were in the request."),
            401 => ("ACCESS_FAILED", "The request could not be completed. The access token is missing, invalid, or expired."),
            403 => ("ACCESS_FAILED", "The request could not be completed. You do not have access to this resource."),
            404 => ("NOT_FOUND", "The request could not be completed. The requested resource was not found."),
            409 => ("REQUEST_FAILED", "The request could not be completed. " + FacadeSupport.MessageOf(problem)),
            429 => ("REQUEST_LIMITED", "The request could not be completed. Too many requests; retry later."),
            503 => ("SERVICE_UNAVAILABLE", "The request could not be completed. The service is temporarily unavailable."),
            _ => ("UNEXPECTED_ERROR", "The request could not be completed. An unexpected error occurred."),
        };
        IReadOnlyList<PingOneErrorDetail>? details = problem is HttpValidationProblemDetails validation
            ? [.. validation.Errors.SelectMany(e => e.Value.Select(m => new PingOneErrorDetail("INVALID_VALUE", e.Key, m)))]
            : null;
        var id = System.Diagnostics.Activity.Current?.TraceId.ToString() is { Length: 32 } trace ? Guid.ParseExact(trace, "N").ToString("D") : Guid.NewGuid().ToString("D");
        return FacadeSupport.WriteJsonAsync(context, status, new PingOneError(id, code, message, details));
    }
}
