using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.Sessions.Users;

/// <summary>
/// The end-user session token (docs/sessions.md, "The session token"): <c>sst_</c>, the base64url of
/// <c>"{tenant}/{userId}/{sessionId}"</c> (so a gateway knows which grain to ask), a dot, and the
/// base64url of 32 random bytes. Only the SHA-256 of those bytes is ever stored.
/// </summary>
public static class SessionToken
{
    public const string Prefix = "sst_";
    public const int SecretBytes = 32;

    /// <summary>Makes a new token for a session; returns it with the hash to store.</summary>
    public static (string Token, string SecretHash) Create(string tenant, string userId, string sessionId)
    {
        Span<byte> secret = stackalloc byte[SecretBytes];
        RandomNumberGenerator.Fill(secret);
        var subject = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{tenant}/{userId}/{sessionId}"));
        var token = $"{Prefix}{subject}.{Base64Url.EncodeToString(secret)}";
        return (token, HashSecret(secret));
    }

    /// <summary>Splits a token into whom it names and the hash of its secret; false for anything malformed.</summary>
    public static bool TryParse(
        string? token,
        [NotNullWhen(true)] out string? tenant,
        [NotNullWhen(true)] out string? userId,
        [NotNullWhen(true)] out string? sessionId,
        [NotNullWhen(true)] out string? secretHash)
    {
        tenant = userId = sessionId = secretHash = null;
        if (token is null || token.Length > 1024 || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var body = token.AsSpan(Prefix.Length);
        var dot = body.IndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        var secretText = body[(dot + 1)..];
        var subjectText = body[..dot];
        if (!Base64Url.IsValid(secretText, out var secretLength) || secretLength != SecretBytes || !Base64Url.IsValid(subjectText))
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        Base64Url.DecodeFromChars(secretText, secret);
        string subject;
        try
        {
            subject = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(subjectText));
        }
        catch (ArgumentException)
        {
            return false;
        }

        var parts = subject.Split('/');
        if (parts.Length != 3 || !UserKey.IsValidId(parts[0]) || !UserKey.IsValidId(parts[1])
            || !SessionIds.TryNormalize(parts[2], out var id))
        {
            return false;
        }

        (tenant, userId, sessionId, secretHash) = (parts[0], parts[1], id, HashSecret(secret));
        return true;
    }

    private static string HashSecret(ReadOnlySpan<byte> secret) =>
        Convert.ToHexStringLower(SHA256.HashData(secret));
}
