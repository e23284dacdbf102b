using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api;

/// <summary>
/// An example of each error answer in the OpenAPI document, written the way the service writes that error: the same
/// problem the handler, the validation or the refusal makes, through the problem-details service and the writer of
/// the surface the operation's path is under — so a façade's example is in that façade's own shape.
/// </summary>
internal static class OpenApiErrorExamples
{
    public static async Task<JsonNode?> WriteAsync(IServiceProvider services, ApiSurface surface, string path, int status)
    {
        var first = await TryWriteAsync(services, path, status, Problem(surface, status));
        // A surface that words validation with another status (MonoCloud's 422) answers 400 for what it cannot read at all.
        return first ?? (status == StatusCodes.Status400BadRequest
            ? await TryWriteAsync(services, path, status, ApiExceptionHandler.ForBadRequest(new BadHttpRequestException("The request body is not JSON.", status)))
            : null);
    }

    private static object Problem(ApiSurface surface, int status) => status switch
    {
        StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity => ApiProblems.Validation(InvalidIp()),
        StatusCodes.Status404NotFound => ApiProblems.SessionNotFound(OpenApiExamples.Revoked.Id),
        StatusCodes.Status409Conflict => ApiProblems.SessionNotActive(OpenApiExamples.Revoked),
        StatusCodes.Status401Unauthorized => surface.FailureProblem(AuthFailure.InvalidCredential),
        StatusCodes.Status403Forbidden => surface.FailureProblem(AuthFailure.Forbidden),
        StatusCodes.Status429TooManyRequests => surface.FailureProblem(AuthFailure.RateLimited),
        StatusCodes.Status503ServiceUnavailable => surface.FailureProblem(AuthFailure.Overloaded),
        _ => ApiExceptionHandler.ForBadRequest(new BadHttpRequestException("The request could not be read.", status)),
    };

    private static InputErrors InvalidIp()
    {
        var errors = new InputErrors();
        InputRules.Ip(errors, "ip", "203.0.113.300", required: true);
        return errors;
    }

    /// <summary>What the service writes for <paramref name="problem"/> under <paramref name="path"/>, if it is answered with <paramref name="status"/>.</summary>
    private static async Task<JsonNode?> TryWriteAsync(IServiceProvider services, string path, int status, object problem)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = path;
        using var body = new MemoryStream();
        context.Response.Body = body;
        if (problem is IResult result)
        {
            await result.ExecuteAsync(context);
        }
        else
        {
            var details = (ProblemDetails)problem;
            context.Response.StatusCode = details.Status ?? status;
            await services.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details });
        }

        return context.Response.StatusCode == status && body.Length > 0 ? JsonNode.Parse(body.ToArray()) : null;
    }
}
