using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// Compares an answer with a golden shape — a document's example value or its JSON schema: every field the
/// shape has is present with the same JSON type (null is accepted where our record has no value, such as an
/// unknown browser version), and no field the shape lacks. Arrays are compared item by item with the shape's
/// first item.
/// </summary>
internal static class JsonShape
{
    public static void MatchesExample(JsonElement actual, JsonElement example, string path = "$") =>
        Match(actual, example, path, fromSchema: false, document: default);

    public static void MatchesSchema(JsonElement actual, JsonElement schema, JsonElement document, string path = "$") =>
        Match(actual, schema, path, fromSchema: true, document);

    private static void Match(JsonElement actual, JsonElement shape, string path, bool fromSchema, JsonElement document)
    {
        if (fromSchema)
        {
            shape = SeedDocuments.Resolve(document, shape);
        }

        var kind = fromSchema ? SchemaKind(shape) : Kind(shape);
        if (actual.ValueKind == JsonValueKind.Null || kind == "null")
        {
            return; // No value on our side, or the document's example shows only null (WorkOS' ended_at): any type fits.
        }

        Assert.True(Kind(actual) == kind, $"{path}: expected {kind}, got {Kind(actual)} ({actual})");
        if (kind == "object")
        {
            var expected = fromSchema
                ? (shape.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value) : [])
                : shape.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
            var present = actual.EnumerateObject().Select(p => p.Name).ToHashSet();
            var extra = present.Except(expected.Keys).ToList();
            Assert.True(extra.Count == 0, $"{path}: fields the document does not have: {string.Join(", ", extra)}");
            foreach (var (name, child) in expected)
            {
                Assert.True(actual.TryGetProperty(name, out var value), $"{path}: missing '{name}' in {actual}");
                Match(value, child, $"{path}.{name}", fromSchema, document);
            }
        }
        else if (kind == "array")
        {
            var item = fromSchema ? shape.GetProperty("items") : shape.EnumerateArray().FirstOrDefault();
            if (item.ValueKind == JsonValueKind.Undefined || (!fromSchema && item.ValueKind == JsonValueKind.Undefined))
            {
                return;
            }

            var i = 0;
            foreach (var element in actual.EnumerateArray())
            {
                Match(element, item, $"{path}[{i++}]", fromSchema, document);
            }
        }
    }

    /// <summary>The JSON type of a value: object, array, string, number, boolean.</summary>
    public static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string SchemaKind(JsonElement schema) => schema.TryGetProperty("type", out var type)
        ? type.GetString() switch
        {
            "integer" or "number" => "number",
            var name => name!,
        }
        : "object";
}
