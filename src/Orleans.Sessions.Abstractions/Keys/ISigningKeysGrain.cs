using System.Collections.Immutable;

namespace Orleans.Sessions.Keys;

/// <summary>
/// A tenant's signing keys (key = tenant; docs/keys.md): made here, stored with the tenant's other state, rotated on a
/// schedule and on demand, published as a JWKS. The private keys never leave this grain: it signs what others ask it to.
/// </summary>
[Alias("sessions.ISigningKeysGrain")]
public interface ISigningKeysGrain : IGrainWithStringKey
{
    /// <summary>
    /// The keys a verifier should know now (the one that signs, the next one, those a rotation retired until their
    /// overlap ends); empty for a tenant that never needed one — reading makes none.
    /// </summary>
    [Alias("Published")]
    Task<ImmutableArray<PublishedKey>> PublishedAsync();

    /// <summary>The keys published now, made first if the tenant has none (an administrator asked, or a client was registered).</summary>
    [Alias("Ensure")]
    Task<ImmutableArray<PublishedKey>> EnsureAsync();

    /// <summary>
    /// A compact JWS of <paramref name="payloadJson"/> (a JSON object) with the header <c>typ</c> <paramref name="type"/>,
    /// signed with the current key (made first if the tenant has none).
    /// </summary>
    [Alias("Sign")]
    Task<string> SignAsync(string type, string payloadJson);

    /// <summary>
    /// The next key signs from now on, a new next key is made, and the key that signed until now stays published for
    /// <paramref name="overlap"/> (null: the configured <c>Sessions:Keys:Overlap</c>), so tokens it signed still
    /// verify. The keys published after the rotation.
    /// </summary>
    [Alias("Rotate")]
    Task<ImmutableArray<PublishedKey>> RotateAsync(TimeSpan? overlap);
}

/// <summary>What a key is for now.</summary>
public enum KeyUse
{
    /// <summary>Signs every token from now on.</summary>
    Current = 0,

    /// <summary>Published ahead of the rotation that makes it current, so caches of the JWKS know it by then.</summary>
    Next = 1,

    /// <summary>Replaced by a rotation; published until <see cref="PublishedKey.RetiresAt"/> so tokens it signed still verify.</summary>
    Retiring = 2,
}

/// <summary>The public half of a signing key, as a JWKS shows it (RSA, RS256), and its place in the rotation.</summary>
[GenerateSerializer, Immutable, Alias("sessions.PublishedKey")]
public sealed record PublishedKey(
    [property: Id(0)] string Kid,
    [property: Id(1)] string Algorithm,
    [property: Id(2)] string Modulus,
    [property: Id(3)] string Exponent,
    [property: Id(4)] KeyUse Use,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? RetiresAt);
