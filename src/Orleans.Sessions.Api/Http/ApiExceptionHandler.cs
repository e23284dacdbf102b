using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// Turns what escapes an endpoint into problem details: a malformed or oversized request is the
/// client's (4xx, with what was wrong); a cluster that cannot answer right now is 503 with
/// <c>Retry-After</c>; anything else is a bug, logged, and answered 500 without internals.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => ForBadRequest(bad),
            TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or InconsistentStateException
                or ConnectionFailedException or GatewayTooBusyException or DbException => Unavailable(httpContext, exception),
            // Grain storage failures (database busy, unreachable, disk full) reach the caller wrapped by Orleans.
            OrleansException { InnerException: DbException or TimeoutException or ObjectDisposedException or InconsistentStateException }
                => Unavailable(httpContext, exception),
            _ => null,
        };

        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            LogUnhandled(exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Internal error",
                Type = ApiProblems.InternalType,
                Detail = "The service failed to handle the request; it has been logged.",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The problem a request that cannot be read is answered with: too large, not JSON of the right shape.</summary>
    internal static ProblemDetails ForBadRequest(BadHttpRequestException exception)
    {
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Type = ApiProblems.BodyTooLargeType,
                Detail = "The request body exceeds the limit of 64 KiB.",
            };
        }

        var detail = exception.InnerException switch
        {
            JsonException { Path: { } path } => $"The request body is not valid JSON for this endpoint (at '{path}').",
            JsonException => "The request body is not valid JSON for this endpoint.",
            _ when exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase) => "A JSON request body is required.",
            _ => "The request could not be read.",
        };

        return new ProblemDetails
        {
            Status = exception.StatusCode is >= 400 and < 500 ? exception.StatusCode : StatusCodes.Status400BadRequest,
            Title = "Bad request",
            Type = ApiProblems.BadRequestType,
            Detail = detail,
        };
    }

    private ProblemDetails Unavailable(HttpContext httpContext, Exception exception)
    {
        LogUnavailable(exception, httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.Headers.RetryAfter = "1";
        return new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Type = ApiProblems.UnavailableType,
            Detail = "The cluster could not complete the request right now; retry shortly.",
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster unavailable for {Method} {Path}")]
    private partial void LogUnavailable(Exception exception, string method, PathString path);
}
