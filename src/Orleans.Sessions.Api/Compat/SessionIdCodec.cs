using System.Diagnostics.CodeAnalysis;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Compat;

/// <summary>
/// The seed APIs' spellings of a session id (docs/compatibility.md): the same 128 bits as the ULID, as a UUID
/// (PingOne), as 32 upper-case hex digits (MonoCloud) or prefixed with <c>session_</c> (WorkOS).
/// </summary>
public static class SessionIdCodec
{
    public const string WorkOsPrefix = "session_";

    public static string ToUuid(string sessionId) => new Guid(Ulid.Parse(sessionId).ToByteArray(), bigEndian: true).ToString("D");

    public static string ToHex(string sessionId) => Convert.ToHexString(Ulid.Parse(sessionId).ToByteArray());

    public static string ToWorkOs(string sessionId) => WorkOsPrefix + sessionId;

    public static bool TryFromUuid(string? value, [NotNullWhen(true)] out string? sessionId)
    {
        sessionId = null;
        if (value is not { Length: 36 } || !Guid.TryParseExact(value, "D", out var guid))
        {
            return false;
        }

        return TryFromBytes(guid.ToByteArray(bigEndian: true), out sessionId);
    }

    public static bool TryFromHex(string? value, [NotNullWhen(true)] out string? sessionId)
    {
        sessionId = null;
        Span<byte> bytes = stackalloc byte[16];
        return value is { Length: 32 } && Convert.FromHexString(value, bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            && written == 16 && TryFromBytes(bytes, out sessionId);
    }

    public static bool TryFromWorkOs(string? value, [NotNullWhen(true)] out string? sessionId)
    {
        sessionId = null;
        return value is not null && value.StartsWith(WorkOsPrefix, StringComparison.Ordinal)
            && SessionIds.TryNormalize(value[WorkOsPrefix.Length..], out sessionId);
    }

    private static bool TryFromBytes(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out string? sessionId) =>
        SessionIds.TryNormalize(new Ulid(bytes).ToString(), out sessionId);
}
