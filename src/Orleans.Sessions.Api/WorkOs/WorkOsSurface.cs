using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.WorkOs;

/// <summary><c>Authorization: Bearer</c>; errors in WorkOS' shape.</summary>
public sealed class WorkOsSurface : ApiSurface
{
    public static WorkOsSurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [BearerCredentialReader.Instance];

    public override bool HasOwnErrorShape => true;

    public override (Type Body, string ContentType) ErrorBody(int status) => (typeof(WorkOsError), "application/json");

    /// <summary>Invalid fields are a 422 with each named; a body that is not JSON is a 400.</summary>
    public override IReadOnlyList<int> ValidationStatuses { get; } = [StatusCodes.Status422UnprocessableEntity];

    public override Task WriteErrorAsync(HttpContext context, ProblemDetails problem)
    {
        WorkOsRequestId.Set(context);
        if (problem is HttpValidationProblemDetails validation && FacadeSupport.Is(problem, ApiProblems.ValidationType))
        {
            var fields = validation.Errors.SelectMany(e => e.Value.Select((m, i) => new WorkOsFieldError(e.Key, ApiProblems.CodeOf(problem, e.Key, i), m))).ToList();
            return FacadeSupport.WriteJsonAsync(context, StatusCodes.Status422UnprocessableEntity, new WorkOsError("invalid_request_parameters", "Validation failed.", fields));
        }

        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var code = status switch
        {
            400 or 405 or 413 or 415 => "bad_request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "entity_not_found",
            409 => "session_not_active",
            429 => "rate_limit_exceeded",
            503 => "service_unavailable",
            _ => "server_error",
        };
        return FacadeSupport.WriteJsonAsync(context, status, new WorkOsError(code, FacadeSupport.MessageOf(problem), null));
    }
}
