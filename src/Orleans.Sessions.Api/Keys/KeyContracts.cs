using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Keys;

namespace Orleans.Sessions.Api.Keys;

/// <summary>One public key as RFC 7517 writes it: <c>kty</c>, <c>use</c>, <c>alg</c>, <c>kid</c>, <c>n</c>, <c>e</c>.</summary>
public sealed record JsonWebKeyResponse(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("n")] string N,
    [property: JsonPropertyName("e")] string E)
{
    public static JsonWebKeyResponse From(PublishedKey key) => new("RSA", "sig", key.Algorithm, key.Kid, key.Modulus, key.Exponent);
}

/// <summary>A JWK Set (RFC 7517 §5).</summary>
public sealed record JsonWebKeySetResponse([property: JsonPropertyName("keys")] IReadOnlyList<JsonWebKeyResponse> Keys);

/// <summary>A key as the administration shows it: where it stands in the rotation, never its private half.</summary>
public sealed record SigningKeyResponse(string Kid, string Alg, string Use, DateTimeOffset CreatedAt, DateTimeOffset? RetiresAt)
{
    public static SigningKeyResponse From(PublishedKey key) => new(key.Kid, key.Algorithm, key.Use switch
    {
        KeyUse.Current => "current",
        KeyUse.Next => "next",
        _ => "retiring",
    }, key.CreatedAt, key.RetiresAt);
}

/// <summary>The tenant's keys and its issuer (whose <c>/.well-known/jwks.json</c> publishes them).</summary>
public sealed record SigningKeysResponse(string Issuer, string JwksUri, IReadOnlyList<SigningKeyResponse> Items);

/// <summary>A key rotation (body optional): how long the replaced key stays published, 0 – 30 days; default <c>Sessions:Keys:Overlap</c>.</summary>
[RequestContract]
public sealed record KeyRotation([property: Range(0, KeyRotation.MaxOverlapSeconds)] long? OverlapSeconds) : IOptionalBody<KeyRotation>
{
    public const long MaxOverlapSeconds = 30 * 86_400;

    [JsonIgnore]
    public TimeSpan? Overlap { get; private set; }

    public static KeyRotation Empty() => new(OverlapSeconds: null);

    public void Validate(InputErrors errors) => Overlap = InputRules.Seconds(errors, "overlapSeconds", OverlapSeconds, 0, MaxOverlapSeconds);
}
