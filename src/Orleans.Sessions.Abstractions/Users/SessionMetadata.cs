using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Orleans.Sessions.Users;

/// <summary>What a metadata value is.</summary>
public enum MetadataKind
{
    String = 0,
    Number = 1,
    Boolean = 2,
}

/// <summary>
/// One value of a session's metadata (docs/sessions.md, "Metadata"): a string, a number — kept as the JSON text it was
/// given in, so it is echoed exactly — or a boolean. Stored and written as the plain JSON value.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.MetadataValue")]
[JsonConverter(typeof(MetadataValueJsonConverter))]
public readonly record struct MetadataValue([property: Id(0)] MetadataKind Kind, [property: Id(1)] string Text)
{
    public static MetadataValue Of(string text) => new(MetadataKind.String, text);

    public static MetadataValue Of(bool flag) => new(MetadataKind.Boolean, flag ? "true" : "false");

    /// <summary>The value of a JSON string, number or boolean; false for anything else (null, objects, arrays).</summary>
    public static bool TryFrom(JsonElement element, out MetadataValue value)
    {
        (var ok, value) = element.ValueKind switch
        {
            JsonValueKind.String => (true, Of(element.GetString()!)),
            JsonValueKind.Number => (true, new MetadataValue(MetadataKind.Number, element.GetRawText())),
            JsonValueKind.True => (true, Of(true)),
            JsonValueKind.False => (true, Of(false)),
            _ => (false, default),
        };
        return ok;
    }

    public void WriteTo(Utf8JsonWriter json)
    {
        switch (Kind)
        {
            case MetadataKind.Number:
                json.WriteRawValue(Text, skipInputValidation: false);
                break;
            case MetadataKind.Boolean:
                json.WriteBooleanValue(Text == "true");
                break;
            default:
                json.WriteStringValue(Text);
                break;
        }
    }
}

/// <summary>Reads and writes a <see cref="MetadataValue"/> as the JSON value it is.</summary>
public sealed class MetadataValueJsonConverter : JsonConverter<MetadataValue>
{
    public override MetadataValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => MetadataValue.Of(reader.GetString()!),
        JsonTokenType.Number => new MetadataValue(MetadataKind.Number, Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan)),
        JsonTokenType.True => MetadataValue.Of(true),
        JsonTokenType.False => MetadataValue.Of(false),
        _ => throw new JsonException($"A metadata value is a string, a number or a boolean, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, MetadataValue value, JsonSerializerOptions options) => value.WriteTo(writer);
}

/// <summary>One change of a JSON Merge Patch (RFC 7396) of a session's metadata: a key set to a value, or removed (null).</summary>
[GenerateSerializer, Immutable, Alias("sessions.MetadataChange")]
public readonly record struct MetadataChange([property: Id(0)] string Key, [property: Id(1)] MetadataValue? Value);

/// <summary>
/// The rules of session metadata (docs/sessions.md, "Metadata"): a flat JSON object of at most <see cref="MaxKeys"/>
/// keys (<see cref="KeyPattern"/>) whose values are strings, numbers or booleans, at most <see cref="MaxBytes"/> bytes
/// as compact JSON.
/// </summary>
public static partial class SessionMetadata
{
    public const int MaxBytes = 4096;
    public const int MaxKeys = 32;
    public const string KeyPattern = "^[A-Za-z0-9_-]{1,64}$";

    public static bool IsKey(string key) => KeyRegex().IsMatch(key);

    /// <summary>Its size as compact JSON, in UTF-8 bytes.</summary>
    public static int Size(IEnumerable<KeyValuePair<string, MetadataValue>> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in metadata)
            {
                json.WritePropertyName(key);
                value.WriteTo(json);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenCount;
    }

    /// <summary>Whether it keeps within <see cref="MaxKeys"/> and <see cref="MaxBytes"/>.</summary>
    public static bool Fits(IReadOnlyCollection<KeyValuePair<string, MetadataValue>>? metadata) =>
        metadata is null || (metadata.Count <= MaxKeys && Size(metadata) <= MaxBytes);

    /// <summary><paramref name="current"/> with <paramref name="changes"/> applied (RFC 7396); null when nothing is left.</summary>
    public static ImmutableSortedDictionary<string, MetadataValue>? Merge(ImmutableSortedDictionary<string, MetadataValue>? current, IEnumerable<MetadataChange> changes)
    {
        var merged = (current ?? ImmutableSortedDictionary<string, MetadataValue>.Empty).ToBuilder();
        foreach (var (key, value) in changes)
        {
            if (value is { } set)
            {
                merged[key] = set;
            }
            else
            {
                merged.Remove(key);
            }
        }

        return merged.Count == 0 ? null : merged.ToImmutable();
    }

    [GeneratedRegex(KeyPattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex KeyRegex();
}
