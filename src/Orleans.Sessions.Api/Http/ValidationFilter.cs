using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// Validates every <see cref="IValidatable"/> argument of an endpoint before its handler runs, and answers one
/// validation problem that lists every broken rule (each surface writes it in its own error shape). Applied once
/// per endpoint group, as the authorization policies are.
/// </summary>
public sealed class ValidationFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        InputErrors? errors = null;
        foreach (var argument in context.Arguments)
        {
            if (argument is IValidatable input)
            {
                errors ??= new InputErrors();
                input.Validate(errors);
            }
        }

        return errors is { IsEmpty: false } ? ApiProblems.Validation(errors) : await next(context);
    }
}

/// <summary>Puts <see cref="ValidationFilter"/> on an endpoint group.</summary>
public static class ValidationFilterExtensions
{
    /// <summary>Validates the group's <see cref="IValidatable"/> inputs before its handlers run; documents the 400.</summary>
    public static RouteGroupBuilder WithInputValidation(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter<ValidationFilter>();
        group.ProducesValidationProblem();
        return group;
    }
}
