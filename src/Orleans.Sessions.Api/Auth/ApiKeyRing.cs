using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OtpNet;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// The configured API keys and the bootstrap key, ready to check presented secrets against. Only SHA-256
/// hashes are kept; a presented secret is hashed once and compared with every key in constant time, so how
/// long a check takes says nothing about which key, or how much of one, matched. Rebuilt when the
/// configuration changes.
/// </summary>
public sealed class ApiKeyRing : IDisposable
{
    public const string HashPrefix = "sha256:";
    private const int HashBytes = 32;
    private const int StackSecretBytes = 1024;

    private readonly IDisposable? _subscription;
    private volatile Entry[] _entries;

    public ApiKeyRing(IOptionsMonitor<SessionsAuthOptions> options)
    {
        _entries = Build(options.CurrentValue);
        _subscription = options.OnChange(o => _entries = Build(o));
    }

    /// <summary>The key (or bootstrap key) whose secret this is, or null.</summary>
    public Caller? Authenticate(ReadOnlySpan<char> secret) => Find(null, secret);

    /// <summary>The key named <paramref name="name"/> if <paramref name="secret"/> is its secret, or null (Rocket.Chat's headers).</summary>
    public Caller? Authenticate(string name, ReadOnlySpan<char> secret) => Find(name, secret);

    /// <summary>
    /// The key whose secret hashes to <paramref name="hash"/> (<see cref="HashOf"/>), or null: what a console sign-in
    /// keeps instead of the secret, so a key removed or given a new secret ends the sign-ins made with it.
    /// </summary>
    public Caller? AuthenticateHash(ReadOnlySpan<byte> hash) => hash.Length == HashBytes ? Find(null, hash) : null;

    /// <summary>The SHA-256 of a secret, as the ring compares it.</summary>
    public static byte[] HashOf(ReadOnlySpan<char> secret)
    {
        var hash = new byte[HashBytes];
        Hash(secret, hash);
        return hash;
    }

    public void Dispose() => _subscription?.Dispose();

    private Caller? Find(string? name, ReadOnlySpan<char> secret)
    {
        Span<byte> presented = stackalloc byte[HashBytes];
        Hash(secret, presented);
        return Find(name, presented);
    }

    private Caller? Find(string? name, ReadOnlySpan<byte> presented)
    {
        Caller? found = null;
        foreach (var entry in _entries)
        {
            // Every entry is compared, match or not: no early exit.
            var equal = CryptographicOperations.FixedTimeEquals(presented, entry.Hash);
            if (equal && (name is null || string.Equals(name, entry.Caller.Name, StringComparison.Ordinal)))
            {
                found ??= entry.Caller;
            }
        }

        return found;
    }

    private static void Hash(ReadOnlySpan<char> secret, Span<byte> destination)
    {
        var length = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = length > StackSecretBytes ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented is null ? stackalloc byte[StackSecretBytes] : rented;
        try
        {
            var written = Encoding.UTF8.GetBytes(secret, buffer);
            SHA256.HashData(buffer[..written], destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static Entry[] Build(SessionsAuthOptions options)
    {
        var entries = new List<Entry>();
        if (options.BootstrapKey is { Length: > 0 } bootstrap)
        {
            var hash = new byte[HashBytes];
            Hash(bootstrap, hash);
            entries.Add(new Entry(hash, Caller.Bootstrap));
        }

        foreach (var key in options.Keys)
        {
            var roles = key.Roles.Aggregate(SessionRoles.None, (all, role) => all | SessionRoleNames.ByName.GetValueOrDefault(role));
            var scope = key.Populations.Count == 0 ? SessionScope.All : new SessionScope([.. key.Populations.Distinct(StringComparer.Ordinal)]);
            var totp = key.TotpSecret is { Length: > 0 } totpSecret ? Base32Encoding.ToBytes(totpSecret) : null;
            entries.Add(new Entry(
                Convert.FromHexString(key.SecretHash.AsSpan(HashPrefix.Length)),
                Caller.ApiKey(key.Name, key.Tenant, roles, scope, totp)));
        }

        return [.. entries];
    }

    private sealed record Entry(byte[] Hash, Caller Caller);
}
