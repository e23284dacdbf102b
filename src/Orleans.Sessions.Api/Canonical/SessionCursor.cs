using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>
/// The opaque <c>cursor</c> of a user's session list: the keyset position of the last item, bound to the
/// sort it was made for so that a cursor cannot be replayed against another order.
/// </summary>
public static class SessionCursor
{
    private const string Version = "u1";

    public static string Encode(SessionSortField sort, bool descending, SessionListPosition position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(
            '|',
            Version,
            ((int)sort).ToString(CultureInfo.InvariantCulture),
            descending ? "d" : "a",
            position.SortKey.ToString(CultureInfo.InvariantCulture),
            position.SessionId)));

    public static bool TryDecode(string cursor, SessionSortField sort, bool descending, out SessionListPosition? position)
    {
        position = null;
        if (cursor.Length > 200)
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            return false;
        }

        var parts = text.Split('|');
        if (parts.Length != 5 || parts[0] != Version
            || parts[1] != ((int)sort).ToString(CultureInfo.InvariantCulture)
            || parts[2] != (descending ? "d" : "a")
            || !long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key)
            || !SessionIds.TryNormalize(parts[4], out var id))
        {
            return false;
        }

        position = new SessionListPosition(key, id);
        return true;
    }
}
