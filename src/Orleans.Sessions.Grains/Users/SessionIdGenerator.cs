using System.Buffers.Binary;

namespace Orleans.Sessions.Users;

/// <summary>
/// Issues ULIDs that increase strictly within one user: a fresh ULID for the clock's millisecond, or,
/// when that would not be above the last id (same millisecond, or a clock that stepped back), the
/// last id plus one.
/// </summary>
internal static class SessionIdGenerator
{
    public static string Next(DateTimeOffset now, string? lastId)
    {
        var candidate = System.Ulid.NewUlid(now);
        if (lastId is null || !System.Ulid.TryParse(lastId, out var last) || candidate.CompareTo(last) > 0)
        {
            return candidate.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        last.TryWriteBytes(bytes);
        var value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        if (value == UInt128.MaxValue)
        {
            throw new InvalidOperationException("The session id space of this user is exhausted.");
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, value + 1);
        return new System.Ulid(bytes).ToString();
    }
}
