using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Orleans.Sessions.Api;

/// <summary>
/// Only the truly required fields required in the OpenAPI document: a property left out of the JSON when it is null or
/// default (<see cref="JsonIgnoreCondition.WhenWritingNull"/>, <see cref="JsonIgnoreCondition.WhenWritingDefault"/>) is
/// absent from some answers, so no schema requires it — Rocket.Chat's sessions without <c>_user</c>, its errors without
/// <c>errorType</c>, WorkOS' errors without <c>errors</c>.
/// </summary>
internal static class OpenApiOptionalFields
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Required is not { Count: > 0 } required)
        {
            return Task.CompletedTask;
        }

        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true) is [JsonIgnoreAttribute
                {
                    Condition: JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault,
                }, ..])
            {
                required.Remove(property.Name);
            }
        }

        return Task.CompletedTask;
    }
}
