using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.SessionDirectory;

/// <summary>The opaque list-all cursor: a keyset position bound to the sort and direction it was made for.</summary>
public static class DirectoryCursor
{
    private const string Version = "d1";

    public static string Encode(DirectorySort sort, bool descending, DirectoryPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(
            '|',
            Version,
            ((int)sort).ToString(CultureInfo.InvariantCulture),
            descending ? "d" : "a",
            position.Number.ToString(CultureInfo.InvariantCulture),
            position.Text is null ? "-" : "t" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(position.Text)),
            position.SessionId)));

    public static bool TryDecode(string cursor, DirectorySort sort, bool descending, out DirectoryPosition? position)
    {
        position = null;
        if (cursor.Length > 1024 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
        if (parts.Length != 6 || parts[0] != Version
            || parts[1] != ((int)sort).ToString(CultureInfo.InvariantCulture)
            || parts[2] != (descending ? "d" : "a")
            || !long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || !SessionIds.TryNormalize(parts[5], out var sessionId))
        {
            return false;
        }

        string? text = null;
        if (parts[4] != "-")
        {
            if (!parts[4].StartsWith('t') || !Base64Url.IsValid(parts[4].AsSpan(1)))
            {
                return false;
            }

            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[4].AsSpan(1)));
        }

        position = new DirectoryPosition(number, text, sessionId);
        return true;
    }
}
