using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api;

/// <summary>
/// The extension members of the service's problem details (RFC 9457, section 3.2) in their schemas: <c>traceId</c>,
/// which every problem carries (<see cref="SessionsApiExtensions"/>), and <c>sessionStatus</c>, which a
/// <c>session-not-active</c> problem carries.
/// </summary>
internal static class OpenApiProblemExtensions
{
    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (!typeof(ProblemDetails).IsAssignableFrom(context.JsonTypeInfo.Type) || schema.Properties is null)
        {
            return Task.CompletedTask;
        }

        schema.Properties["traceId"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The request's W3C trace id, by which traces and logs name it.",
        };
        if (context.JsonTypeInfo.Type != typeof(HttpValidationProblemDetails))
        {
            schema.Properties["sessionStatus"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. Enum.GetNames<SessionStatus>().Select(n => (JsonNode)JsonValue.Create(n.ToLowerInvariant())!)],
                Description = $"On {StatusCodes.Status409Conflict} session-not-active: the session's status.",
            };
        }

        return Task.CompletedTask;
    }
}
