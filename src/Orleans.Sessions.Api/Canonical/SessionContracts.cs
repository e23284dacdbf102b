using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

// Wire contracts of the canonical API (docs/api.md). They are separate from the grain records so the
// records can evolve without breaking clients; SessionMapping turns one into the other.

[RequestContract]
public sealed record LocationInput(
    [property: MaxLength(RequestRules.MaxPlaceNameLength), RegularExpression(WirePatterns.Text)] string? City,
    [property: MaxLength(RequestRules.MaxPlaceNameLength), RegularExpression(WirePatterns.Text)] string? Region,
    [property: MaxLength(RequestRules.MaxPlaceNameLength), RegularExpression(WirePatterns.Text)] string? Country,
    [property: RegularExpression(WirePatterns.CountryCode)] string? CountryCode,
    [property: Range(-90.0, 90.0)] double? Latitude,
    [property: Range(-180.0, 180.0)] double? Longitude);

[RequestContract]
public sealed record ImpersonatorInput(
    [property: Required, StringLength(RequestRules.MaxEmailLength, MinimumLength = 3), RegularExpression(WirePatterns.Email)] string? Email,
    [property: MaxLength(RequestRules.MaxReasonLength), RegularExpression(WirePatterns.Text)] string? Reason);

[RequestContract]
public sealed partial record SignOnRequest(
    [property: Required, RegularExpression(WirePatterns.Ip)] string? Ip,
    [property: Required] string? UserAgent,
    Dictionary<string, string>? ClientHints,
    [property: Required, StringLength(InputRules.MaxAuthMethodLength, MinimumLength = 1)] string? AuthMethod,
    [property: RegularExpression(WirePatterns.ClientId)] string? ClientId,
    [property: MaxLength(InputRules.MaxHostLength), RegularExpression(WirePatterns.Host)] string? Host,
    [property: RegularExpression(WirePatterns.Id)] string? OrganizationId,
    [property: RegularExpression(WirePatterns.Id)] string? PopulationId,
    ImpersonatorInput? Impersonator,
    [property: MaxLength(InputRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? UserName,
    [property: MaxLength(InputRules.MaxTextLength), RegularExpression(WirePatterns.Text)] string? DisplayName,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? ExpiresIn,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? IdleTimeout,
    LocationInput? Location,
    [property: MaxLength(InputRules.MaxClientIdLength), RegularExpression(WirePatterns.Text)] string? DeviceId = null,
    [property: RegularExpression(WirePatterns.ClientId), Description("The identity provider's own id of this session (OIDC's sid), if it has one: back-channel logout tokens carry it as sid instead of the session's id here.")] string? ExternalSessionId = null,
    MetadataInput? Metadata = null);

[RequestContract]
public sealed partial record ReauthenticateRequest(
    [property: Required, RegularExpression(WirePatterns.Ip)] string? Ip,
    [property: Required, StringLength(InputRules.MaxAuthMethodLength, MinimumLength = 1)] string? AuthMethod,
    [property: RegularExpression(WirePatterns.ClientId)] string? ClientId,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? ExpiresIn,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? IdleTimeout,
    LocationInput? Location);

[RequestContract]
public sealed partial record ActivityRequest([property: RegularExpression(WirePatterns.Ip)] string? Ip, string? UserAgent, [property: RegularExpression(WirePatterns.ClientId)] string? ClientId);

[RequestContract]
public sealed partial record RevokeRequest([property: MaxLength(RequestRules.MaxReasonLength), RegularExpression(WirePatterns.Text)] string? Reason);

[RequestContract]
public sealed partial record RevokeAllRequest(
    [property: MaxLength(RequestRules.MaxReasonLength), RegularExpression(WirePatterns.Text)] string? Reason,
    [property: RegularExpression(WirePatterns.SessionId)] string? ExceptSessionId);

public sealed record BrowserResponse(string Name, string? Version, string? Major);

public sealed record OsResponse(string Name, string? Version);

public sealed record DeviceResponse(
    string? UserAgent,
    BrowserResponse Browser,
    OsResponse Os,
    string Type,
    string? Vendor,
    string? Model,
    string? Hash);

public sealed record LocationResponse(
    DateTimeOffset At,
    string Ip,
    string? City,
    string? Region,
    string? Country,
    string? CountryCode,
    double? Latitude,
    double? Longitude,
    NetworkResponse? Network);

/// <summary>
/// The network of a location's address, from the ASN and anonymous-IP databases (docs/devices-and-places.md,
/// "Networks"); null members are unknown (no database says), <c>false</c> is known.
/// </summary>
public sealed record NetworkResponse(long? Asn, string? Organization, bool? Anonymous, bool? Hosting, IReadOnlyList<string> Anonymizers);

public sealed record SignOnEventResponse(DateTimeOffset At, string Ip, string Method);

public sealed record ImpersonatorResponse(string Email, string? Reason);

/// <summary>Who ended the session and why; <c>jobId</c> when a revoke-by-query job ended it (docs/jobs.md).</summary>
public sealed record EndResponse(string By, string? Reason, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? JobId = null);

public sealed record SessionResponse(
    string Id,
    string Tenant,
    string UserId,
    SessionStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActiveAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset IdleExpiresAt,
    DateTimeOffset? EndedAt,
    string AuthMethod,
    IReadOnlyList<string> ClientIds,
    string? OrganizationId,
    string? PopulationId,
    string? Host,
    ImpersonatorResponse? Impersonator,
    DeviceResponse Device,
    SignOnEventResponse LastSignOn,
    IReadOnlyList<SignOnEventResponse> SignOns,
    IReadOnlyList<LocationResponse> Locations,
    EndResponse? End,
    string? ExternalSessionId,
    IReadOnlyDictionary<string, MetadataValue>? Metadata,
    RiskResponse? Risk);

/// <summary>
/// What the risk evaluation found unusual about the session (docs/risk.md): every signal raised over its life, the
/// score 0–100, and when it was last evaluated; null when the evaluation is off for the tenant (or predates the session).
/// </summary>
public sealed record RiskResponse(IReadOnlyList<string> Signals, int Score, DateTimeOffset EvaluatedAt);

public sealed record SignOnResponse(SessionResponse Session, string Token);

public sealed record SessionListResponse(IReadOnlyList<SessionResponse> Items, string? NextCursor);

public sealed record RevokeAllResponse(int Count, IReadOnlyList<string> Revoked);
