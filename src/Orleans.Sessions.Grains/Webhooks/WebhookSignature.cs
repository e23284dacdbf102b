using System.Security.Cryptography;
using System.Text;

namespace Orleans.Sessions.Webhooks;

/// <summary>
/// Standard Webhooks signing (docs/webhooks.md, "Signatures"): secrets are <c>whsec_</c> + base64 of 32 random bytes; a
/// delivery carries <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature</c>, one
/// <c>v1,</c> + base64 HMAC-SHA256 of <c>id.timestamp.body</c> per secret, space-separated. A few lines of the spec,
/// written here rather than taken as a dependency; the tests verify them with the spec's own npm implementation.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Sign(IEnumerable<string> secrets, string messageId, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(FormattableString.Invariant($"{messageId}.{timestamp}."));
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return string.Join(' ', secrets.Select(secret =>
            "v1," + Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret[SecretPrefix.Length..]), content))));
    }
}
