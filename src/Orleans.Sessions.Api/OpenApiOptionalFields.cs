using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api;

/// <summary>
/// Only the truly required fields required in the OpenAPI document. In an answer, a property left out of the JSON when
/// it is null or default (<see cref="JsonIgnoreCondition.WhenWritingNull"/>, <see cref="JsonIgnoreCondition.WhenWritingDefault"/>)
/// is absent from some answers, so no schema requires it — Rocket.Chat's sessions without <c>_user</c>, its errors without
/// <c>errorType</c>, WorkOS' errors without <c>errors</c>. In a request (<see cref="RequestContractAttribute"/>), only
/// the fields its validation requires, marked <see cref="RequiredAttribute"/>.
/// </summary>
internal static class OpenApiOptionalFields
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is not { Count: > 0 } required)
        {
            return Task.CompletedTask;
        }

        var request = context.JsonTypeInfo.Type.GetCustomAttribute<RequestContractAttribute>() is not null;
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            var attributes = property.AttributeProvider?.GetCustomAttributes(inherit: true) ?? [];
            var optional = request
                ? !attributes.OfType<RequiredAttribute>().Any()
                : attributes.OfType<JsonIgnoreAttribute>().Any(a => a.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault);
            if (optional)
            {
                required.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}
