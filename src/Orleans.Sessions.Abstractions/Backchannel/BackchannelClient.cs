using Orleans.Sessions.Events;

namespace Orleans.Sessions.Backchannel;

/// <summary>
/// A relying party registered for OpenID Connect Back-Channel Logout (docs/backchannel-logout.md): when a session it
/// used (<c>clientIds</c>) ends in any way, a logout token is posted to <see cref="LogoutUri"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.BackchannelClient")]
public sealed record BackchannelClient
{
    /// <summary>Clients a tenant may register.</summary>
    public const int MaxPerTenant = 100;

    /// <summary>How every client's delivery id begins (its delivery is told apart from other receivers' by it).</summary>
    public const string IdPrefix = "rp_";

    /// <summary>The id of its delivery (<c>rp_…</c>): client ids may hold any printable character, delivery keys may not.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The OAuth client id the relying party signs users on with: the tokens' <c>aud</c>.</summary>
    [Id(1)] public required string ClientId { get; init; }

    /// <summary>OIDC's <c>backchannel_logout_uri</c>.</summary>
    [Id(2)] public required string LogoutUri { get; init; }

    /// <summary>OIDC's <c>backchannel_logout_session_required</c>: the tokens carry <c>sid</c> (they always do here).</summary>
    [Id(3)] public bool SessionRequired { get; init; }

    /// <summary>The tokens' <c>iss</c>.</summary>
    [Id(4)] public required string Issuer { get; init; }

    [Id(5)] public bool Enabled { get; init; } = true;

    [Id(6)] public string? Description { get; init; }

    [Id(7)] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set when a logout was dead-lettered; cleared by the next successful delivery.</summary>
    [Id(8)] public DateTimeOffset? FailingSince { get; init; }

    /// <summary>Whether the event ends a session this client used.</summary>
    public bool Wants(SessionEvent sessionEvent) =>
        sessionEvent.Type is SessionEventType.Ended or SessionEventType.Revoked or SessionEventType.Evicted or SessionEventType.Expired
        && sessionEvent.Data.ClientIds.Contains(ClientId, StringComparer.Ordinal);
}

/// <summary>What a registration or an update asks for; null members of an update leave the client as it is.</summary>
[GenerateSerializer, Immutable, Alias("sessions.BackchannelClientSpec")]
public sealed record BackchannelClientSpec(
    [property: Id(0)] string? ClientId,
    [property: Id(1)] string? LogoutUri,
    [property: Id(2)] bool? SessionRequired,
    [property: Id(3)] string? Issuer,
    [property: Id(4)] bool? Enabled,
    [property: Id(5)] string? Description);

/// <summary>Why a registration was refused.</summary>
public enum ClientRegistrationError
{
    None = 0,

    /// <summary>The client id is registered already.</summary>
    Exists = 1,

    /// <summary>The tenant has <see cref="BackchannelClient.MaxPerTenant"/> clients.</summary>
    Limit = 2,
}

[GenerateSerializer, Immutable, Alias("sessions.ClientRegistration")]
public sealed record ClientRegistration([property: Id(0)] ClientRegistrationError Error, [property: Id(1)] BackchannelClient? Client);
