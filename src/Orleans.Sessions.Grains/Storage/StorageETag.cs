using System.Globalization;
using Orleans.Storage;

namespace Orleans.Sessions.Storage;

/// <summary>The ETags of the project's storages: a row's version in decimal.</summary>
public static class StorageETag
{
    public static string? Format(long? version) => version?.ToString(CultureInfo.InvariantCulture);

    /// <summary>The version an ETag names (null: none yet).</summary>
    /// <exception cref="InconsistentStateException">The ETag is not one of these storages'.</exception>
    public static long? Parse(string? etag) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
        : throw new InconsistentStateException($"'{etag}' is not an ETag of this storage.", etag, "unknown");

    /// <summary>The exception a grain sees when its write met another version.</summary>
    public static InconsistentStateException Conflict(VersionConflictException conflict, string? etag) =>
        new(conflict.Message, etag ?? "", "unknown", conflict);
}
