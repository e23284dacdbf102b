using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.MonoCloud;

/// <summary>
/// <c>X-API-KEY</c>; problem details, with invalid values as 422 (MonoCloud's "Client Error") and malformed ones (a
/// number that is no number) as 400.
/// </summary>
public sealed class MonoCloudSurface : ApiSurface
{
    public static MonoCloudSurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [new HeaderCredentialReader("X-API-KEY")];

    public override string? Challenge => null;

    public override bool HasOwnErrorShape => true;

    /// <summary>Invalid fields are a 422 with each named; a parameter that cannot be read at all is a 400.</summary>
    public override IReadOnlyList<int> ValidationStatuses { get; } = [StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity];

    public override Task WriteErrorAsync(HttpContext context, ProblemDetails problem)
    {
        if (problem is HttpValidationProblemDetails validation && FacadeSupport.Is(problem, ApiProblems.ValidationType))
        {
            var malformed = validation.Errors.FirstOrDefault(e => ApiProblems.CodeOf(problem, e.Key, 0) == InputCodes.Malformed(e.Key));
            if (malformed.Key is null)
            {
                problem.Status = StatusCodes.Status422UnprocessableEntity;
            }
            else
            {
                problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Bad request", Type = ApiProblems.BadRequestType, Detail = malformed.Value[0] };
            }
        }

        // As its runtime type: a validation problem's 'errors' are what its detail points at.
        return FacadeSupport.WriteJsonAsync<object>(context, problem.Status ?? StatusCodes.Status500InternalServerError, problem, "application/problem+json");
    }
}
