using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// Validates every <see cref="IValidatable"/> argument of an endpoint before its handler runs (a missing
/// <see cref="IOptionalBody{TSelf}"/> as an empty one), and answers one validation problem that lists every broken
/// rule (each surface writes it in its own error shape). Applied once per endpoint group, as the authorization
/// policies are.
/// </summary>
public static class ValidationFilter
{
    private static readonly MethodInfo EmptyOfMethod = typeof(ValidationFilter).GetMethod(nameof(EmptyOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Validates the group's <see cref="IValidatable"/> inputs before its handlers run; documents the 400.</summary>
    public static RouteGroupBuilder WithInputValidation(this RouteGroupBuilder group)
    {
        group.AddEndpointFilterFactory(Create);
        group.ProducesValidationProblem();
        return group;
    }

    private static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var inputs = factory.MethodInfo.GetParameters()
            .Select((parameter, index) => (parameter.ParameterType, Index: index))
            .Where(p => typeof(IValidatable).IsAssignableFrom(p.ParameterType))
            .Select(p => (p.Index, Empty: EmptyFactory(p.ParameterType)))
            .ToArray();
        if (inputs.Length == 0)
        {
            return next;
        }

        return async context =>
        {
            var errors = new InputErrors();
            foreach (var (index, empty) in inputs)
            {
                if (context.Arguments[index] is null && empty is not null)
                {
                    context.Arguments[index] = empty();
                }

                (context.Arguments[index] as IValidatable)?.Validate(errors);
            }

            return errors.IsEmpty ? await next(context) : ApiProblems.Validation(errors);
        };
    }

    /// <summary>How to make an empty body of <paramref name="type"/>, when it is an optional one.</summary>
    private static Func<object>? EmptyFactory(Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IOptionalBody<>))
            ? (Func<object>)EmptyOfMethod.MakeGenericMethod(type).Invoke(null, null)!
            : null;

    private static Func<object> EmptyOf<T>()
        where T : class, IOptionalBody<T> => T.Empty;
}
