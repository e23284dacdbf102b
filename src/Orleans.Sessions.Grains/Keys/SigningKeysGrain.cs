using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Keys;

/// <summary>A tenant's keys, the current one first. The private halves are stored here and nowhere else.</summary>
[GenerateSerializer, Alias("sessions.SigningKeysState")]
public sealed class SigningKeysState
{
    [Id(0)]
    public List<StoredSigningKey> Keys { get; set; } = [];
}

/// <summary>One key: a class, not a record, so that nothing prints its private half by accident.</summary>
[GenerateSerializer, Alias("sessions.StoredSigningKey")]
public sealed class StoredSigningKey
{
    [Id(0)]
    public required string Kid { get; set; }

    [Id(1)]
    public KeyUse Use { get; set; }

    [Id(2)]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it became the key that signs (it then signs for <see cref="SigningKeysOptions.RotationInterval"/>).</summary>
    [Id(3)]
    public DateTimeOffset? CurrentSince { get; set; }

    [Id(4)]
    public DateTimeOffset? RetiresAt { get; set; }

    /// <summary>The RSA private key, PKCS#8.</summary>
    [Id(5)]
    public required byte[] PrivateKey { get; set; }

    /// <summary>The public key's modulus and exponent, base64url, as the JWKS shows them.</summary>
    [Id(6)]
    public required string Modulus { get; set; }

    [Id(7)]
    public required string Exponent { get; set; }
}

/// <summary>
/// A tenant's signing keys (docs/keys.md): RSA 2048-bit, RS256. A tenant gets keys when something first signs for it;
/// then it always has a current key and a next one, published ahead of its turn so that verifiers' cached JWKS know it
/// when it takes over. Each call first does what time asks: retired keys past their overlap go, and a current key
/// older than <see cref="SigningKeysOptions.RotationInterval"/> is rotated — so the schedule needs no timer. Times are
/// real time (tokens are checked against verifiers' clocks), not session time.
/// </summary>
[GrainType("signingkeys")] // Part of the stored key: pinned.
public sealed class SigningKeysGrain(
    [PersistentState("signing-keys", SessionsStorage.Name)] IPersistentState<SigningKeysState> state,
    IOptions<SigningKeysOptions> options) : Grain, ISigningKeysGrain
{
    public const string Algorithm = SecurityAlgorithms.RsaSha256;
    private const int KeySize = 2048;

    private static readonly JsonWebTokenHandler Tokens = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly SigningKeysOptions _options = options.Value;
    private readonly TimeProvider _clock = TimeProvider.System;

    /// <summary>The current key, imported once per activation.</summary>
    private (string Kid, SigningCredentials Credentials)? _signing;

    public async Task<ImmutableArray<PublishedKey>> PublishedAsync()
    {
        await MaintainAsync(create: false);
        return Published();
    }

    public async Task<ImmutableArray<PublishedKey>> EnsureAsync()
    {
        await MaintainAsync(create: true);
        return Published();
    }

    public async Task<string> SignAsync(string type, string payloadJson)
    {
        await MaintainAsync(create: true);
        var current = state.State.Keys.First(k => k.Use == KeyUse.Current);
        if (_signing is not { } signing || signing.Kid != current.Kid)
        {
            DisposeSigningKey();
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(current.PrivateKey, out _);
            signing = (current.Kid, new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = current.Kid }, Algorithm));
            _signing = signing;
        }

        using var payload = JsonDocument.Parse(payloadJson);
        var claims = payload.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.Clone(), StringComparer.Ordinal);
        return Tokens.CreateToken(new SecurityTokenDescriptor { TokenType = type, Claims = claims, SigningCredentials = signing.Credentials });
    }

    public async Task<ImmutableArray<PublishedKey>> RotateAsync(TimeSpan? overlap)
    {
        await MaintainAsync(create: true);
        Rotate(overlap ?? _options.Overlap);
        await state.WriteStateAsync();
        return Published();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        DisposeSigningKey();
        return Task.CompletedTask;
    }

    private void DisposeSigningKey()
    {
        (_signing?.Credentials.Key as RsaSecurityKey)?.Rsa.Dispose();
        _signing = null;
    }

    /// <summary>Drops retired keys past their overlap, rotates a current key past its interval, and makes keys if asked.</summary>
    private async Task MaintainAsync(bool create)
    {
        var now = _clock.GetUtcNow();
        var keys = state.State.Keys;
        var changed = keys.RemoveAll(k => k.Use == KeyUse.Retiring && k.RetiresAt <= now) > 0;
        if (keys.Count == 0 && create)
        {
            keys.Add(NewKey(KeyUse.Current, now));
            keys.Add(NewKey(KeyUse.Next, now));
            changed = true;
        }
        else if (keys.Find(k => k.Use == KeyUse.Current) is { } current && now - current.CurrentSince >= _options.RotationInterval)
        {
            Rotate(_options.Overlap);
            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    private void Rotate(TimeSpan overlap)
    {
        var now = _clock.GetUtcNow();
        var keys = state.State.Keys;
        var current = keys.First(k => k.Use == KeyUse.Current);
        var next = keys.First(k => k.Use == KeyUse.Next);
        (current.Use, current.RetiresAt) = (KeyUse.Retiring, now + overlap);
        (next.Use, next.CurrentSince) = (KeyUse.Current, now);
        keys.RemoveAll(k => k.Use == KeyUse.Retiring && k.RetiresAt <= now); // An overlap of zero retires at once.
        keys.Add(NewKey(KeyUse.Next, now));
        keys.Sort((a, b) => a.Use.CompareTo(b.Use)); // Current, next, retiring: the JWKS lists the signing key first.
    }

    private ImmutableArray<PublishedKey> Published() =>
    [
        .. state.State.Keys.Select(k => new PublishedKey(k.Kid, Algorithm, k.Modulus, k.Exponent, k.Use, k.CreatedAt, k.RetiresAt)),
    ];

    private static StoredSigningKey NewKey(KeyUse use, DateTimeOffset now)
    {
        using var rsa = RSA.Create(KeySize);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var (modulus, exponent) = (Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
        return new StoredSigningKey
        {
            Kid = Thumbprint(modulus, exponent),
            Modulus = modulus,
            Exponent = exponent,
            Use = use,
            CreatedAt = now,
            CurrentSince = use == KeyUse.Current ? now : null,
            PrivateKey = rsa.ExportPkcs8PrivateKey(),
        };
    }

    /// <summary>The key's RFC 7638 thumbprint (SHA-256 of its required members in lexical order), base64url: its <c>kid</c>.</summary>
    private static string Thumbprint(string modulus, string exponent)
    {
        var canonical = $$"""{"e":"{{exponent}}","kty":"RSA","n":"{{modulus}}"}""";
        return Base64UrlEncoder.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }
}
