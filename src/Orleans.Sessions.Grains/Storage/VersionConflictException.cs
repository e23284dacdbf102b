namespace Orleans.Sessions.Storage;

/// <summary>The ETag a write expected no longer matches what is stored.</summary>
public sealed class VersionConflictException(string key, long? expected)
    : Exception($"The stored version of '{key}' is not {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"}.")
{
    public string Key { get; } = key;

    public long? ExpectedVersion { get; } = expected;
}
