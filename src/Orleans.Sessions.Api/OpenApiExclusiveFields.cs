using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api;

/// <summary>
/// A body filled one way or another (<see cref="ExclusiveFieldsAttribute"/>) is, in the OpenAPI document, <c>oneOf</c>
/// those ways: each has its fields and none of the others' (a field given as null counts as not given).
/// </summary>
internal static class OpenApiExclusiveFields
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var ways = context.JsonTypeInfo.Type.GetCustomAttributes<ExclusiveFieldsAttribute>().ToList();
        if (ways.Count < 2)
        {
            return Task.CompletedTask;
        }

        schema.OneOf = [.. ways.Select(way => (IOpenApiSchema)new OpenApiSchema
        {
            Required = new HashSet<string>(way.Fields, StringComparer.Ordinal),
            Properties = way.Fields.ToDictionary(field => field, _ => NotNull(), StringComparer.Ordinal),
            Not = new OpenApiSchema
            {
                AnyOf = [.. ways.Where(other => other != way).SelectMany(other => other.Fields).Select(field => (IOpenApiSchema)new OpenApiSchema
                {
                    Required = new HashSet<string>([field], StringComparer.Ordinal),
                    Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { [field] = NotNull() },
                })],
            },
        })];
        return Task.CompletedTask;
    }

    /// <summary>A field given as null is a field not given, to the service as to the document.</summary>
    private static IOpenApiSchema NotNull() => new OpenApiSchema { Not = new OpenApiSchema { Type = JsonSchemaType.Null } };
}
