using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Orleans.Sessions.Api.Audit;

/// <summary>The audit history's opaque page position: base64url of <c>a1|position</c>, the last entry of the page before.</summary>
public static class AuditCursor
{
    private const string Version = "a1";
    public const int MaxLength = 64;

    public static string Encode(long position) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}|{position.ToString(CultureInfo.InvariantCulture)}"));

    public static bool TryDecode(string cursor, out long position)
    {
        position = 0;
        return cursor.Length <= MaxLength && Base64Url.IsValid(cursor)
            && Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('|') is [Version, var number]
            && long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out position);
    }
}
