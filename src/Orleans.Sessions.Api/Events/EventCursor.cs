using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Api.Events;

/// <summary>The feed's opaque position: base64url of <c>e1|transaction|row</c> (<see cref="EventPosition"/>).</summary>
public static class EventCursor
{
    private const string Version = "e1";
    public const int MaxLength = 128;

    public static string Encode(EventPosition position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join(
        '|', Version, position.Transaction.ToString(CultureInfo.InvariantCulture), position.Row.ToString(CultureInfo.InvariantCulture))));

    public static bool TryDecode(string cursor, out EventPosition position)
    {
        position = EventPosition.Start;
        if (cursor.Length > MaxLength || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|');
        if (parts is not [Version, var transaction, var row]
            || !ulong.TryParse(transaction, NumberStyles.None, CultureInfo.InvariantCulture, out var tx)
            || !long.TryParse(row, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        position = new EventPosition(tx, number);
        return true;
    }
}
