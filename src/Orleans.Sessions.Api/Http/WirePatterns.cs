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
}
