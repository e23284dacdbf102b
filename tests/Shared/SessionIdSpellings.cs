using System.Buffers.Binary;

namespace Orleans.Sessions.Testing;

/// <summary>
/// The seed APIs' spellings of a session id (docs/compatibility.md), written for the tests on their own — without the
/// product's SessionIdCodec or the Ulid package — so that contract tests check the product's encoding instead of
/// repeating it. A session id is a ULID: 26 Crockford base-32 characters for 128 bits, most significant first.
/// PingOne spells those bits as a UUID, MonoCloud as 32 upper-case hex digits, WorkOS as the ULID after <c>session_</c>.
/// </summary>
public static class SessionIdSpellings
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string WorkOsPrefix = "session_";

    public static string ToUuid(string ulid)
    {
        var hex = ToHex(ulid).ToLowerInvariant();
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }

    public static string ToHex(string ulid) => Convert.ToHexString(Bits(ulid));

    public static string ToWorkOs(string ulid) => WorkOsPrefix + ulid;

    public static string FromUuid(string uuid) => FromHex(uuid.Replace("-", "", StringComparison.Ordinal));

    public static string FromHex(string hex) => FromBits(Convert.FromHexString(hex));

    public static string FromWorkOs(string id) =>
        id.StartsWith(WorkOsPrefix, StringComparison.Ordinal) ? id[WorkOsPrefix.Length..] : throw new FormatException($"'{id}' does not start with {WorkOsPrefix}.");

    private static byte[] Bits(string ulid)
    {
        // 26 characters of 5 bits are 130 bits: the first character carries only 3 of them.
        if (ulid.Length != 26 || Crockford.IndexOf(ulid[0], StringComparison.Ordinal) > 7)
        {
            throw new FormatException($"'{ulid}' is not a ULID.");
        }

        UInt128 value = 0;
        foreach (var character in ulid)
        {
            var digit = Crockford.IndexOf(character, StringComparison.Ordinal);
            value = (value << 5) | (digit >= 0 ? (uint)digit : throw new FormatException($"'{ulid}' is not a ULID."));
        }

        var bits = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bits, value);
        return bits;
    }

    private static string FromBits(byte[] bits)
    {
        var value = BinaryPrimitives.ReadUInt128BigEndian(bits);
        var characters = new char[26];
        for (var i = characters.Length - 1; i >= 0; i--)
        {
            characters[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }

        return new string(characters);
    }
}
