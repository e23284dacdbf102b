using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Orleans.Sessions.Api;

/// <summary>
/// Times are strings in the OpenAPI document. The API writes them with its own converter (<c>ApiJson.UtcMillisecondsConverter</c>),
/// and a converted type's schema comes out with its <c>date-time</c> format but no type — which lets a validator take
/// a number for a time the service refuses. Nullable times are strings or null.
/// </summary>
internal static class OpenApiDateTimes
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.Type is null && (type == typeof(DateTimeOffset) || type == typeof(DateTimeOffset?)))
        {
            schema.Type = type == typeof(DateTimeOffset?) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date-time";
        }

        return Task.CompletedTask;
    }
}
