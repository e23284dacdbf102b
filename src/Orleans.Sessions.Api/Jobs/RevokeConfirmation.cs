using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.Jobs;

/// <summary>
/// What ties a revoke-by-query to its dry run (docs/jobs.md, "Dry run and confirmation"): base64url of
/// <c>r1|count|digest</c>, the count the dry run answered and a digest of the exact filter it counted. A real run must
/// send it back with the same filter, so a filter changed by a typo since the dry run is refused.
/// </summary>
public static class RevokeConfirmation
{
    private const string Version = "r1";
    public const int MaxLength = 128;

    public static string Encode(DirectoryFilter filter, long count) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}|{count.ToString(CultureInfo.InvariantCulture)}|{Digest(filter)}"));

    /// <summary>The count the dry run of <paramref name="filter"/> answered, if <paramref name="confirmation"/> is one of its.</summary>
    public static bool TryRead(string confirmation, out long count, out bool sameFilter, DirectoryFilter filter)
    {
        count = 0;
        sameFilter = false;
        if (confirmation.Length > MaxLength || !Base64Url.IsValid(confirmation)
            || Encoding.UTF8.GetString(Base64Url.DecodeFromChars(confirmation)).Split('|') is not [Version, var number, var digest]
            || !long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out count))
        {
            return false;
        }

        sameFilter = digest == Digest(filter);
        return true;
    }

    /// <summary>SHA-256 of the filter as JSON (its members in declaration order, the metadata's keys sorted): the same filter, the same digest.</summary>
    private static string Digest(DirectoryFilter filter) =>
        Base64Url.EncodeToString(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(filter))[..16]);
}
