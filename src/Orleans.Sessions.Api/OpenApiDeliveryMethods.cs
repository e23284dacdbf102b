using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.SharedSignals;

namespace Orleans.Sessions.Api;

/// <summary>
/// A Shared Signals stream's <c>delivery</c> is, in the OpenAPI document, <c>oneOf</c> its methods, as the service
/// checks them: push with the receiver's <c>endpoint_url</c>, or poll (whose endpoint is the transmitter's).
/// </summary>
internal static class OpenApiDeliveryMethods
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(SsfDeliveryRequest))
        {
            return Task.CompletedTask;
        }

        schema.OneOf =
        [
            Method(SsfConfigurationResponse.Push, new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 }),
            Method(SsfConfigurationResponse.Poll, null),
        ];
        return Task.CompletedTask;
    }

    private static OpenApiSchema Method(string urn, OpenApiSchema? endpoint)
    {
        var method = new OpenApiSchema
        {
            Required = new HashSet<string>(["method"], StringComparer.Ordinal),
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { ["method"] = new OpenApiSchema { Enum = [JsonValue.Create(urn)] } },
        };
        if (endpoint is not null)
        {
            method.Required.Add("endpoint_url");
            method.Properties["endpoint_url"] = endpoint;
        }

        return method;
    }
}
