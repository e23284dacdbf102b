namespace Orleans.Sessions.Api.Http;

/// <summary>
/// The shapes of ids on the wire as regular expressions, for the OpenAPI document's parameters: each says what its
/// validator accepts (<c>WirePatternsTests</c> checks that they agree on generated input), so a client reading the
/// document knows which values are refused before sending them.
/// </summary>
public static class WirePatterns
{
    /// <summary>Tenant and user ids (<see cref="Users.UserKey.IsValidId"/>): 1–128 of <c>A-Z a-z 0-9 . _ @ : -</c>.</summary>
    public const string Id = "^[A-Za-z0-9._@:-]{1,128}$";

    /// <summary>A session id (<see cref="Users.SessionIds.TryNormalize"/>): a ULID, 26 Crockford base-32 characters of either case.</summary>
    public const string SessionId = "^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$";

    /// <summary>PingOne's spelling of a session id: a UUID.</summary>
    public const string Uuid = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

    /// <summary>MonoCloud's spelling of a session id: 32 hexadecimal digits.</summary>
    public const string Hex = "^[0-9A-Fa-f]{32}$";

    /// <summary>WorkOS' spelling of a session id: <c>session_</c> and the ULID.</summary>
    public const string WorkOsSessionId = "^session_[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$";

    /// <summary>A client id (<see cref="InputRules.ClientId"/>): 1–256 printable ASCII characters without spaces.</summary>
    public const string ClientId = "^[!-~]{1,256}$";

    /// <summary>
    /// An IP address (<see cref="InputRules.TryNormalizeIp"/>): IPv4 as four decimal parts of 0–255 without leading zeros,
    /// or IPv6 as RFC 3986 writes it (RFC 4291 text, with an IPv4 tail where it has one; no zone, no brackets).
    /// </summary>
    public const string Ip = "^(?:" + V4 + "|" + V6 + ")$";

    /// <summary>An IP address or a CIDR range of one (<see cref="InputRules.Network"/>): IPv4 prefixes 0–32, IPv6 0–128.</summary>
    public const string IpNetwork = "^(?:" + V4 + "(?:/(?:3[0-2]|[12]?[0-9]))?|" + V6 + "(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$";

    /// <summary>A URL the service posts to or names (<see cref="ReceiverUrl"/>): http or https, without credentials or fragment.</summary>
    public const string HttpUrl = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#@]+(?:[/?][^#]*)?$";

    /// <summary>A host name or address with an optional port (<see cref="InputRules.Host"/>).</summary>
    public const string Host = "^[A-Za-z0-9.:\\[\\]-]{1,253}$";

    /// <summary>
    /// A cursor or feed position as the service writes them: base64url without padding. Which cursors are good is not a
    /// matter of syntax — only one the service handed out for the same list and order is (docs/api.md, "List-all").
    /// </summary>
    public const string Cursor = "^(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2,3})?$";

    /// <summary>An ISO 3166-1 alpha-2 country code, of either case.</summary>
    public const string CountryCode = "^[A-Za-z]{2}$";

    /// <summary>
    /// An email address as an impersonator's is checked: something, an <c>@</c>, something — no white space or control
    /// characters (<see cref="char.IsWhiteSpace(char)"/>, <see cref="char.IsControl(char)"/>), 3–320 characters.
    /// </summary>
    public const string Email = "^[^@" + Blank + "]+@[^" + Blank + "]+$";

    /// <summary>Text without control characters (<see cref="char.IsControl(char)"/>: U+0000–U+001F, U+007F–U+009F).</summary>
    public const string Text = "^[^\\u0000-\\u001F\\u007F-\\u009F]*$";

    /// <summary>
    /// The OpenAPI format of a search pattern (<see cref="Orleans.Sessions.SessionDirectory.DirectoryPatterns"/>): a regular expression.
    /// Its dialect is .NET's without backreferences, lookarounds or atomic groups (docs/api.md, "List-all").
    /// </summary>
    public const string RegexFormat = "regex";

    // What char.IsWhiteSpace or char.IsControl says yes to, as a character class's contents.
    private const string Blank = "\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";

    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    private const string V4 = Octet + "(?:\\." + Octet + "){3}";
    private const string H16 = "[0-9A-Fa-f]{1,4}";
    private const string Ls32 = "(?:" + H16 + ":" + H16 + "|" + V4 + ")";

    // RFC 3986 section 3.2.2's IPv6address, one alternative per place of the "::".
    private const string V6 = "(?:(?:" + H16 + ":){6}" + Ls32
        + "|::(?:" + H16 + ":){5}" + Ls32
        + "|(?:" + H16 + ")?::(?:" + H16 + ":){4}" + Ls32
        + "|(?:(?:" + H16 + ":){0,1}" + H16 + ")?::(?:" + H16 + ":){3}" + Ls32
        + "|(?:(?:" + H16 + ":){0,2}" + H16 + ")?::(?:" + H16 + ":){2}" + Ls32
        + "|(?:(?:" + H16 + ":){0,3}" + H16 + ")?::" + H16 + ":" + Ls32
        + "|(?:(?:" + H16 + ":){0,4}" + H16 + ")?::" + Ls32
        + "|(?:(?:" + H16 + ":){0,5}" + H16 + ")?::" + H16
        + "|(?:(?:" + H16 + ":){0,6}" + H16 + ")?::)";
}
