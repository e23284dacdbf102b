using System.Collections.Immutable;
using System.Text.Json;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>A session's metadata as a sign-on gives it: a flat JSON object of strings, numbers and booleans (docs/sessions.md, "Metadata").</summary>
public sealed class MetadataInput : Dictionary<string, JsonElement>
{
    public MetadataInput()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>A JSON Merge Patch (RFC 7396) of a session's metadata: a value sets its key, null removes it.</summary>
public sealed class MetadataPatchInput : Dictionary<string, JsonElement>
{
    public MetadataPatchInput()
        : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>The checks of metadata as it comes in: keys, values, and the limits of <see cref="SessionMetadata"/>.</summary>
public static class MetadataRules
{
    public const string MediaType = "application/merge-patch+json";

    /// <summary>A sign-on's metadata, or null (none given, or refused with its errors).</summary>
    public static ImmutableSortedDictionary<string, MetadataValue>? Metadata(InputErrors errors, string field, IReadOnlyDictionary<string, JsonElement>? input)
    {
        if (input is null || input.Count == 0)
        {
            return null;
        }

        var values = ImmutableSortedDictionary.CreateBuilder<string, MetadataValue>();
        foreach (var (key, element) in input)
        {
            if (Key(errors, field, key) && Value(errors, field, key, element, allowNull: false) is { } value)
            {
                values[key] = value;
            }
        }

        var metadata = values.ToImmutable();
        if (errors.IsEmpty && !SessionMetadata.Fits(metadata))
        {
            errors.Add(field, TooLarge);
        }

        return errors.IsEmpty ? metadata : null;
    }

    /// <summary>A merge patch's changes, or the errors that refuse it; the limits are the grain's to check, on the merged result.</summary>
    public static ImmutableArray<MetadataChange> Patch(InputErrors errors, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            errors.Add("metadata", "A merge patch of a session's metadata is a JSON object: a value sets its key, null removes it.");
            return [];
        }

        var changes = ImmutableArray.CreateBuilder<MetadataChange>();
        foreach (var member in patch.EnumerateObject())
        {
            if (Key(errors, "metadata", member.Name))
            {
                var value = Value(errors, "metadata", member.Name, member.Value, allowNull: true);
                changes.Add(new MetadataChange(member.Name, value));
            }
        }

        return changes.ToImmutable();
    }

    /// <summary>What a refusal for the limits says.</summary>
    public static string TooLarge => $"Metadata has at most {SessionMetadata.MaxKeys} keys and {SessionMetadata.MaxBytes} bytes as compact JSON.";

    private static bool Key(InputErrors errors, string field, string key)
    {
        if (SessionMetadata.IsKey(key))
        {
            return true;
        }

        errors.Add(field, $"A metadata key is 1–64 letters, digits, '_' or '-'; '{(key.Length > 64 ? key[..64] + "…" : key)}' is not.");
        return false;
    }

    private static MetadataValue? Value(InputErrors errors, string field, string key, JsonElement element, bool allowNull)
    {
        if (MetadataValue.TryFrom(element, out var value))
        {
            return value;
        }

        if (!(allowNull && element.ValueKind == JsonValueKind.Null))
        {
            errors.Add(field, $"'{key}': a metadata value is a string, a number or a boolean{(allowNull ? " (null removes the key)" : "")}.");
        }

        return null;
    }
}
