using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Sessions.Api.SharedSignals;

namespace Orleans.Sessions.Api;

/// <summary>
/// A Shared Signals subject (RFC 9493) is, in the OpenAPI document, <c>oneOf</c> its formats, each with the members it
/// needs, not empty: <c>opaque</c> an <c>id</c>, <c>iss_sub</c> an <c>iss</c> and a <c>sub</c>, <c>email</c> an
/// <c>email</c>, and <c>complex</c> (where allowed) a <c>session</c> or a <c>user</c> — as the service checks them.
/// </summary>
internal static class OpenApiSubjectFormats
{
    private static readonly (string Format, string[] Members)[] Simple = [("opaque", ["id"]), ("iss_sub", ["iss", "sub"]), ("email", ["email"])];

    public static Task DescribeAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type != typeof(SsfSimpleSubjectInput) && type != typeof(SsfSubjectInput))
        {
            return Task.CompletedTask;
        }

        List<IOpenApiSchema> formats = [.. Simple.Select(f => (IOpenApiSchema)new OpenApiSchema
        {
            Required = new HashSet<string>(["format", .. f.Members], StringComparer.Ordinal),
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["format"] = Format(f.Format),
            }.Concat(f.Members.Select(m => KeyValuePair.Create(m, (IOpenApiSchema)new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 })))
                .ToDictionary(StringComparer.Ordinal),
        })];
        if (type == typeof(SsfSubjectInput))
        {
            formats.Add(new OpenApiSchema
            {
                Required = new HashSet<string>(["format"], StringComparer.Ordinal),
                Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { ["format"] = Format("complex") },
                AnyOf = [.. new[] { "session", "user" }.Select(m => (IOpenApiSchema)new OpenApiSchema
                {
                    Required = new HashSet<string>([m], StringComparer.Ordinal),
                    Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal) { [m] = new OpenApiSchema { Not = new OpenApiSchema { Type = JsonSchemaType.Null } } },
                })],
            });
        }

        schema.OneOf = formats;
        return Task.CompletedTask;
    }

    private static OpenApiSchema Format(string format) => new() { Enum = [JsonValue.Create(format)] };
}
