using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// The opaque <c>cursor</c> of both list APIs: the keyset position of the last item (a number or a text, then
/// the session id), bound to the list, sort and direction it was made for, so that a cursor cannot be
/// replayed against another list or order. base64url of <c>list|sort|direction|number|text|sessionId</c>.
/// </summary>
public static class ListCursor
{
    public const int MaxLength = 1024;
    private const string UserList = "u2";

    /// <summary>The user list's cursor before both lists shared one format (<c>u1|sort|direction|number|sessionId</c>), still read.</summary>
    private const string UserListBefore = "u1";
    private const string Directory = "d1";

    public static string Encode(SessionSortField sort, bool descending, SessionListPosition position) =>
        Encode(UserList, (int)sort, descending, position.SortKey, null, position.SessionId);

    public static string Encode(DirectorySort sort, bool descending, DirectoryPosition position) =>
        Encode(Directory, (int)sort, descending, position.Number, position.Text, position.SessionId);

    public static bool TryDecode(string cursor, SessionSortField sort, bool descending, out SessionListPosition? position)
    {
        position = TryDecode(cursor, UserList, (int)sort, descending, out var number, out _, out var sessionId)
            ? new SessionListPosition(number, sessionId)
            : null;
        return position is not null;
    }

    public static bool TryDecode(string cursor, DirectorySort sort, bool descending, out DirectoryPosition? position)
    {
        position = TryDecode(cursor, Directory, (int)sort, descending, out var number, out var text, out var sessionId)
            ? new DirectoryPosition(number, text, sessionId)
            : null;
        return position is not null;
    }

    private static string Encode(string list, int sort, bool descending, long number, string? text, string sessionId) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(
            '|',
            list,
            sort.ToString(CultureInfo.InvariantCulture),
            descending ? "d" : "a",
            number.ToString(CultureInfo.InvariantCulture),
            text is null ? "-" : "t" + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text)),
            sessionId)));

    private static bool TryDecode(string cursor, string list, int sort, bool descending, out long number, out string? text, out string sessionId)
    {
        (number, text, sessionId) = (0, null, "");
        if (cursor.Length > MaxLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
        if (list == UserList && parts is [UserListBefore, _, _, _, _])
        {
            parts = [UserList, parts[1], parts[2], parts[3], "-", parts[4]];
        }

        if (parts.Length != 6 || parts[0] != list
            || parts[1] != sort.ToString(CultureInfo.InvariantCulture)
            || parts[2] != (descending ? "d" : "a")
            || !long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number)
            || !SessionIds.TryNormalize(parts[5], out var id))
        {
            return false;
        }

        if (parts[4] != "-")
        {
            if (!parts[4].StartsWith('t') || !Base64Url.IsValid(parts[4].AsSpan(1)))
            {
                return false;
            }

            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[4].AsSpan(1)));
        }

        sessionId = id;
        return true;
    }
}
