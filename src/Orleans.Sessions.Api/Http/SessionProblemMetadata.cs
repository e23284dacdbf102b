using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// What an endpoint's handler answers besides success, for the OpenAPI document (<see cref="OpenApiErrors"/> writes each in
/// the surface's shape): an operation on one session answers 404 when the user has no such session and 409 when it is
/// not active (or the user is at the active-session limit); <see cref="ApiProblems.ForError"/> makes both.
/// </summary>
public static class SessionProblemMetadata
{
    public static RouteHandlerBuilder ProducesSessionProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    public static RouteHandlerBuilder ProducesNotFound(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status404NotFound);
}
