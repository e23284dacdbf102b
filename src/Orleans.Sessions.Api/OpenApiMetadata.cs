using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api;

/// <summary>
/// Session metadata in the OpenAPI document as the service checks it (docs/sessions.md, "Metadata"): a value is a
/// string, a number or a boolean; an object of them has at most 32 keys named by the key pattern; a merge patch may
/// also give null (remove the key). The 4 KiB bound is said in words: no schema counts bytes.
/// </summary>
internal static class OpenApiMetadata
{
    private const JsonSchemaType Scalar = JsonSchemaType.String | JsonSchemaType.Number | JsonSchemaType.Boolean;

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(MetadataValue))
        {
            schema.Type = Scalar;
            schema.Properties?.Clear();
            schema.Required?.Clear();
        }
        else if (type == typeof(MetadataInput) || type == typeof(MetadataPatchInput))
        {
            var patch = type == typeof(MetadataPatchInput);
            schema.Type = JsonSchemaType.Object;
            schema.MaxProperties = SessionMetadata.MaxKeys;
            schema.PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = SessionMetadata.KeyPattern };
            schema.AdditionalProperties = new OpenApiSchema { Type = patch ? Scalar | JsonSchemaType.Null : Scalar };
            schema.Description = (patch
                ? "A JSON Merge Patch (RFC 7396) of the session's metadata: a value sets its key, null removes it. "
                : "The session's metadata: ") + $"at most {SessionMetadata.MaxKeys} keys, values strings, numbers or booleans, at most {SessionMetadata.MaxBytes} bytes as compact JSON{(patch ? " after the patch (413 otherwise)" : "")}.";
        }

        return Task.CompletedTask;
    }
}
