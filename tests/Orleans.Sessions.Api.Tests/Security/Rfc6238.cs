using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>The tests' own RFC 6238 (HMAC-SHA1) code generator, independent of the service's, checked against the RFC's vectors.</summary>
internal static class Rfc6238
{
    public static long StepOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 30;

    public static string Code(byte[] key, long step, int digits = 6)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff) % (int)Math.Pow(10, digits);
        return binary.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
    }
}
