using System.Collections.Immutable;

namespace Orleans.Sessions.Users;

/// <summary>Where a session is in its lifecycle (docs/sessions.md, "Statuses").</summary>
[GenerateSerializer, Alias("sessions.SessionStatus")]
public enum SessionStatus
{
    Active = 0,
    Expired = 1,
    Ended = 2,
    Revoked = 3,
    Evicted = 4,
}

[GenerateSerializer, Immutable, Alias("sessions.Browser")]
public sealed record BrowserInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Version,
    [property: Id(2)] string? Major);

[GenerateSerializer, Immutable, Alias("sessions.OperatingSystem")]
public sealed record OsInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Version);

/// <summary>The device a session was signed on from, as parsed from the user agent and client hints.</summary>
[GenerateSerializer, Immutable, Alias("sessions.Device")]
public sealed record DeviceInfo(
    [property: Id(0)] string? UserAgent,
    [property: Id(1)] BrowserInfo Browser,
    [property: Id(2)] OsInfo Os,
    [property: Id(3)] string Type,
    [property: Id(4)] string? Vendor,
    [property: Id(5)] string? Model,
    [property: Id(6)] string? Hash);

/// <summary>
/// The network an address belongs to (docs/devices-and-places.md, "Networks"): its autonomous system from an ASN database,
/// and from an anonymous-IP database whether it hides its user (<see cref="Anonymizers"/>: <c>vpn</c>, <c>tor</c>,
/// <c>public-proxy</c>, <c>residential-proxy</c>) or belongs to a hosting provider. Null where no database says.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.Network")]
public sealed record NetworkInfo
{
    [Id(0)] public long? Asn { get; init; }

    [Id(1)] public string? Organization { get; init; }

    [Id(2)] public bool? Anonymous { get; init; }

    [Id(3)] public bool? Hosting { get; init; }

    [Id(4)] public ImmutableArray<string> Anonymizers { get; init; } = [];

    public bool Equals(NetworkInfo? other) =>
        other is not null && Asn == other.Asn && Organization == other.Organization && Anonymous == other.Anonymous && Hosting == other.Hosting
        && Anonymizers.AsSpan().SequenceEqual(other.Anonymizers.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Asn, Organization, Anonymous, Hosting, Anonymizers.Length);
}

/// <summary>What is known of where an IP address is (a GeoIP lookup, or the caller); any part may be unknown.</summary>
[GenerateSerializer, Immutable, Alias("sessions.Place")]
public sealed record Place(
    [property: Id(0)] string? City,
    [property: Id(1)] string? Region,
    [property: Id(2)] string? Country,
    [property: Id(3)] string? CountryCode,
    [property: Id(4)] double? Latitude,
    [property: Id(5)] double? Longitude)
{
    /// <summary>The address's network, from the databases (never from the caller).</summary>
    [Id(6)] public NetworkInfo? Network { get; init; }
}

/// <summary>
/// Where the session was used from and when the grain recorded it: the IP and its <see cref="Place"/>, flat, as
/// stored; everything but the time and the IP is optional.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.Location")]
public sealed record GeoLocation(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Ip,
    [property: Id(2)] string? City,
    [property: Id(3)] string? Region,
    [property: Id(4)] string? Country,
    [property: Id(5)] string? CountryCode,
    [property: Id(6)] double? Latitude,
    [property: Id(7)] double? Longitude)
{
    /// <summary>The network of the address, when a database knows it.</summary>
    [Id(8)] public NetworkInfo? Network { get; init; }

    /// <summary>The location of <paramref name="ip"/>, in <paramref name="place"/> when known, recorded at <paramref name="at"/>.</summary>
    public static GeoLocation Of(DateTimeOffset at, string ip, Place? place) =>
        new(at, ip, place?.City, place?.Region, place?.Country, place?.CountryCode, place?.Latitude, place?.Longitude) { Network = place?.Network };
}

/// <summary>One sign-on (the first, or a re-authentication) of a session.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SignOn")]
public sealed record SignOnEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Ip,
    [property: Id(2)] string Method);

[GenerateSerializer, Immutable, Alias("sessions.Impersonator")]
public sealed record Impersonator(
    [property: Id(0)] string Email,
    [property: Id(1)] string? Reason);

/// <summary>Who ended a session and why (<c>end</c>, the audit trail: docs/sessions.md, "Statuses").</summary>
[GenerateSerializer, Immutable, Alias("sessions.End")]
public sealed record SessionEnd(
    [property: Id(0)] string By,
    [property: Id(1)] string? Reason,
    [property: Id(2)] string? Operation = null,
    [property: Id(3)] string? JobId = null)
{
    /// <summary>The <see cref="Operation"/> of a session ended with every other of its user's.</summary>
    public const string RevokeAll = "revoke-all";

    /// <summary>The <see cref="Operation"/> of a session a revoke-by-query job (<see cref="JobId"/>) ended.</summary>
    public const string RevokeByQuery = "revoke-by-query";
}

/// <summary>The session record (docs/sessions.md, "The record").</summary>
[GenerateSerializer, Immutable, Alias("sessions.Session")]
public sealed record Session
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Tenant { get; init; }
    [Id(2)] public required string UserId { get; init; }
    [Id(3)] public required SessionStatus Status { get; init; }
    [Id(4)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(5)] public required DateTimeOffset ActiveAt { get; init; }
    [Id(6)] public required DateTimeOffset ExpiresAt { get; init; }
    [Id(7)] public required DateTimeOffset IdleExpiresAt { get; init; }
    [Id(8)] public DateTimeOffset? EndedAt { get; init; }
    [Id(9)] public required string AuthMethod { get; init; }
    [Id(10)] public ImmutableArray<string> ClientIds { get; init; } = [];
    [Id(11)] public string? OrganizationId { get; init; }
    [Id(12)] public string? PopulationId { get; init; }
    [Id(13)] public string? Host { get; init; }
    [Id(14)] public Impersonator? Impersonator { get; init; }
    [Id(15)] public required DeviceInfo Device { get; init; }
    [Id(16)] public required SignOnEvent LastSignOn { get; init; }
    [Id(17)] public ImmutableArray<SignOnEvent> SignOns { get; init; } = [];
    [Id(18)] public ImmutableArray<GeoLocation> Locations { get; init; } = [];
    [Id(19)] public SessionEnd? End { get; init; }

    /// <summary>
    /// The address the session was created from (its first sign-on's). <see cref="SignOns"/> and
    /// <see cref="Locations"/> keep only the newest few, so this is kept on its own; null in records stored
    /// before it existed.
    /// </summary>
    [Id(20)] public string? CreationIp { get; init; }

    /// <summary>
    /// The identity provider's own id of the session (OIDC's <c>sid</c>), given at sign-on: what back-channel logout
    /// tokens carry as <c>sid</c> when there is one (docs/backchannel-logout.md).
    /// </summary>
    [Id(21)] public string? ExternalSessionId { get; init; }

    /// <summary>What the application attached (docs/sessions.md, "Metadata"): at sign-on and by merge patches; null when none.</summary>
    [Id(22)] public ImmutableSortedDictionary<string, MetadataValue>? Metadata { get; init; }

    /// <summary>What the risk evaluation found unusual (docs/risk.md); null when it found nothing or did not run.</summary>
    [Id(23)] public SessionRisk? Risk { get; init; }

    /// <summary>The moment the session stops being usable without further activity.</summary>
    public DateTimeOffset EffectiveExpiry => IdleExpiresAt < ExpiresAt ? IdleExpiresAt : ExpiresAt;
}
