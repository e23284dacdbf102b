using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Http;

/// <summary>The input rules of docs/api.md ("Request bodies", "Limits"), shared by every surface.</summary>
public static partial class InputRules
{
    /// <summary>User agents are kept up to this many UTF-8 bytes (docs/api.md, "Limits"); longer ones are truncated, not refused.</summary>
    public const int MaxUserAgentBytes = 1024;

    public const int MaxTextLength = 256;
    public const int MaxClientIdLength = 256;
    public const int MaxAuthMethodLength = 32;
    public const int MaxHostLength = 253;

    private static readonly SearchValues<char> HostChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-:[]");

    public static void Id(InputErrors errors, string field, string? value, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                errors.AddRequired(field);
            }

            return;
        }

        if (!UserKey.IsValidId(value))
        {
            errors.Add(field, $"'{field}' must be 1-{UserKey.MaxIdLength} characters of A-Z, a-z, 0-9, '.', '_', '@', ':' and '-'.");
        }
    }

    public static string? SessionId(InputErrors errors, string field, string? value)
    {
        if (SessionIds.TryNormalize(value, out var id))
        {
            return id;
        }

        errors.Add(field, InputCodes.InvalidSessionId, $"'{field}' must be a session id: a ULID of {SessionIds.Length} Crockford base32 characters.");
        return null;
    }

    /// <summary>
    /// Parses an IP address and normalizes it (IPv4-mapped IPv6 becomes IPv4; scope ids are refused): the one parse
    /// of a request's IP, whose result the lookups and the stored text use.
    /// </summary>
    public static IPAddress? Ip(InputErrors errors, string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.AddRequired(field);
            }

            return null;
        }

        if (TryNormalizeIp(value, out var address))
        {
            return address;
        }

        errors.Add(field, $"'{field}' must be an IPv4 or IPv6 address.");
        return null;
    }

    public static bool TryNormalizeIp(string value, [NotNullWhen(true)] out IPAddress? address)
    {
        // The document's pattern is the rule (a .NET "$" also matches before a final newline: the whole value must match).
        if (IpText().Match(value) is not { Success: true } match || match.Length != value.Length || !IPAddress.TryParse(value, out address))
        {
            address = null;
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return true;
    }

    [GeneratedRegex(WirePatterns.Ip, RegexOptions.CultureInvariant)]
    private static partial Regex IpText();

    [GeneratedRegex(WirePatterns.IpNetwork, RegexOptions.CultureInvariant)]
    private static partial Regex IpNetworkText();

    /// <summary>How the user authenticated: free text of 1–32 characters (docs/sessions.md, "The record"), no control characters.</summary>
    public static void AuthMethod(InputErrors errors, string field, string? value)
    {
        if (value is { Length: 0 } || (value is not null && value.Trim().Length == 0))
        {
            errors.Add(field, $"'{field}' must not be empty.");
            return;
        }

        Text(errors, field, value, MaxAuthMethodLength, required: true);
    }

    /// <summary>An application's client id: 1–256 printable ASCII characters without spaces.</summary>
    public static void ClientId(InputErrors errors, string field, string? value)
    {
        if (value is not null && (value.Length is 0 or > MaxClientIdLength || value.Any(c => c is <= ' ' or > '~')))
        {
            errors.Add(field, $"'{field}' must be 1-{MaxClientIdLength} printable ASCII characters without spaces.");
        }
    }

    public static void Host(InputErrors errors, string field, string? value)
    {
        if (value is not null && (value.Length is 0 or > MaxHostLength || value.AsSpan().ContainsAnyExcept(HostChars)))
        {
            errors.Add(field, $"'{field}' must be a host name or address (with an optional port), at most {MaxHostLength} characters.");
        }
    }

    /// <summary>Free text for people (names, reasons): no control characters, bounded length.</summary>
    public static void Text(InputErrors errors, string field, string? value, int maxLength = MaxTextLength, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                errors.AddRequired(field);
            }

            return;
        }

        if (value.Length > maxLength || value.Any(char.IsControl))
        {
            errors.Add(field, $"'{field}' must be at most {maxLength} characters, without control characters.");
        }
    }

    /// <summary>An optional integer query parameter within [min, max]; <paramref name="fallback"/> when absent.</summary>
    public static int Integer(InputErrors errors, string field, string? value, int min, int max, int fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        var isNumber = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number);
        if (isNumber && number >= min && number <= max)
        {
            return number;
        }

        errors.Add(field, isNumber ? InputCodes.OutOfRange(field) : InputCodes.Invalid(field), $"'{field}' must be an integer from {min} to {max}.");
        return fallback;
    }

    /// <summary>The values <see cref="Sort{T}"/> takes for <paramref name="fields"/>: each name, ascending, and with <c>-</c>, descending.</summary>
    public static object[] SortValues<T>(IReadOnlyDictionary<string, T> fields) => [.. fields.Keys.SelectMany(k => new[] { k, "-" + k })];

    /// <summary>
    /// A <c>sort</c> parameter: one of <paramref name="fields"/>, prefixed with '-' for descending. Absent or
    /// invalid, the result is <paramref name="fallback"/> descending (with an error for invalid).
    /// </summary>
    public static (T Field, bool Descending) Sort<T>(InputErrors errors, string? value, IReadOnlyDictionary<string, T> fields, T fallback)
    {
        if (value is null)
        {
            return (fallback, true);
        }

        var descending = value.StartsWith('-');
        if (fields.TryGetValue(descending ? value[1..] : value, out var field))
        {
            return (field, descending);
        }

        errors.Add("sort", $"'sort' must be {string.Join(", ", fields.Keys)}, prefixed with '-' for descending.");
        return (fallback, true);
    }

    public static TimeSpan? Seconds(InputErrors errors, string field, long? value, long min, long max)
    {
        if (value is null)
        {
            return null;
        }

        if (value < min || value > max)
        {
            errors.Add(field, $"'{field}' must be between {min} and {max} seconds.");
            return null;
        }

        return TimeSpan.FromSeconds(value.Value);
    }

    /// <summary>Keeps at most <see cref="MaxUserAgentBytes"/> UTF-8 bytes of a user agent, cut on a character boundary.</summary>
    public static string? TruncateUserAgent(string? userAgent)
    {
        if (userAgent is null || Encoding.UTF8.GetMaxByteCount(userAgent.Length) <= MaxUserAgentBytes
            || Encoding.UTF8.GetByteCount(userAgent) <= MaxUserAgentBytes)
        {
            return userAgent;
        }

        var kept = 0;
        var bytes = 0;
        foreach (var rune in userAgent.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxUserAgentBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            kept += rune.Utf16SequenceLength;
        }

        return userAgent[..kept];
    }

    public static void UserAgent(InputErrors errors, string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                errors.AddRequired(field);
            }

            return;
        }

        // Long user agents are truncated, but a body is at most 64 KiB anyway; control characters are refused.
        if (value.Any(char.IsControl))
        {
            errors.Add(field, $"'{field}' must not contain control characters.");
        }
    }

    /// <summary>
    /// An IP address or a CIDR range (<see cref="WirePatterns.IpNetwork"/>), as the network it names (host bits cleared).
    /// An IPv4-mapped range of prefix 96 or longer (::ffff:192.0.2.0/120) is the IPv4 range of its last 32 bits, as
    /// addresses are kept; a shorter one is an IPv6 range.
    /// </summary>
    public static IpNetworkFilter? Network(InputErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (IpNetworkText().Match(value) is not { Success: true } match || match.Length != value.Length
            || !IPAddress.TryParse(slash < 0 ? value : value[..slash], out var address))
        {
            errors.Add(field, $"'{field}' must be an IP address or a CIDR range such as 203.0.113.0/24.");
            return null;
        }

        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = slash < 0 ? bits : int.Parse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        // The network address: host bits cleared, so 203.0.113.7/24 means 203.0.113.0/24.
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IpNetworkFilter(new IPAddress(bytes).ToString(), prefix);
    }

    /// <summary>An RFC 3339 date and time, as UTC ticks.</summary>
    public static long? Time(InputErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && value.Contains('T', StringComparison.Ordinal))
        {
            return time.UtcTicks;
        }

        errors.Add(field, $"'{field}' must be an RFC 3339 time such as 2026-11-22T12:00:00Z.");
        return null;
    }
}
