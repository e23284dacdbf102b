using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Orleans.Sessions.Api;

/// <summary>
/// The values a body field takes in the OpenAPI document, from <see cref="AllowedValuesAttribute"/> on its property —
/// on each item where the field is a list (a webhook's <c>eventTypes</c>). Like the parameters' rules
/// (<see cref="OpenApiParameterRules"/>) the attribute only describes; the request's own validation decides.
/// </summary>
internal static class OpenApiFieldValues
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Properties is not { Count: > 0 } properties)
        {
            return Task.CompletedTask;
        }

        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (property.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true).OfType<AllowedValuesAttribute>().FirstOrDefault() is not { } allowed
                || !properties.TryGetValue(property.Name, out var described) || described is not OpenApiSchema field)
            {
                continue;
            }

            var values = field.Type?.HasFlag(JsonSchemaType.Array) == true && field.Items is OpenApiSchema items ? items : field;
            values.Enum = EnumOf(allowed);
        }

        return Task.CompletedTask;
    }

    /// <summary>The values of <paramref name="allowed"/> as a schema's <c>enum</c>, as text (parameters and fields alike).</summary>
    public static List<JsonNode> EnumOf(AllowedValuesAttribute allowed) =>
        [.. allowed.Values.Select(v => (JsonNode)JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture))!)];
}
