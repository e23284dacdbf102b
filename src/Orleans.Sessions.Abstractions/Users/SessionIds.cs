using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Orleans.Sessions.Users;

/// <summary>Session ids are ULIDs: 26 characters of Crockford base32, upper case.</summary>
public static class SessionIds
{
    public const int Length = 26;

    private static readonly SearchValues<char> Crockford = SearchValues.Create("0123456789ABCDEFGHJKMNPQRSTVWXYZ");

    /// <summary>
    /// Normalizes a session id as a client may send it (lower case is accepted) and reports whether it
    /// is a well-formed ULID.
    /// </summary>
    public static bool TryNormalize(string? value, [NotNullWhen(true)] out string? sessionId)
    {
        sessionId = null;
        if (value is not { Length: Length })
        {
            return false;
        }

        var upper = value.ToUpperInvariant();
        // The first character carries only 3 bits of the 48-bit timestamp.
        if (upper.AsSpan().ContainsAnyExcept(Crockford) || upper[0] > '7')
        {
            return false;
        }

        sessionId = upper;
        return true;
    }
}
