using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// Compares an answer with a golden shape of <c>tests/TestData/Compat/</c> (notation in that folder's README): every
/// field the shape has is present with its JSON type and format, and no field the shape lacks. A null value matches
/// any shape: our record may have no value, such as an unknown browser version.
/// </summary>
internal static partial class JsonShape
{
    /// <summary>Asserts that <paramref name="actual"/> matches <paramref name="shape"/>, whose names <paramref name="named"/> resolves.</summary>
    public static void Match(JsonElement actual, JsonElement shape, Func<string, JsonElement> named, string path = "$")
    {
        if (actual.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        switch (shape.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(actual.ValueKind == JsonValueKind.Object, $"{path}: expected an object, got {Kind(actual)} ({actual})");
                var extra = actual.EnumerateObject().Select(p => p.Name).Where(name => !shape.TryGetProperty(name, out _)).ToList();
                Assert.True(extra.Count == 0, $"{path}: fields the document does not have: {string.Join(", ", extra)}");
                foreach (var field in shape.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(field.Name, out var value), $"{path}: missing '{field.Name}' in {actual}");
                    Match(value, field.Value, named, $"{path}.{field.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.True(actual.ValueKind == JsonValueKind.Array, $"{path}: expected an array, got {Kind(actual)} ({actual})");
                if (shape.EnumerateArray().SingleOrDefault() is { ValueKind: not JsonValueKind.Undefined } item)
                {
                    var i = 0;
                    foreach (var element in actual.EnumerateArray())
                    {
                        Match(element, item, named, $"{path}[{i++}]");
                    }
                }

                break;
            case JsonValueKind.String:
                var type = shape.GetString()!.TrimEnd('?');
                if (type.Split(':')[0] is not ("string" or "integer" or "number" or "boolean"))
                {
                    Match(actual, named(type), named, path);
                    return;
                }

                Assert.True(Is(actual, type), $"{path}: expected {type}, got {Kind(actual)} ({actual})");
                break;
            default:
                throw new InvalidOperationException($"{path}: {shape} is not a shape.");
        }
    }

    private static bool Is(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string:date-time" => value.ValueKind == JsonValueKind.String && Rfc3339().IsMatch(value.GetString()!)
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "integer:epoch-seconds" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            && seconds >= 0 && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds(),
        _ => throw new InvalidOperationException($"'{type}' is not a type of the notation."),
    };

    /// <summary>The JSON type of a value: object, array, string, number, boolean.</summary>
    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
