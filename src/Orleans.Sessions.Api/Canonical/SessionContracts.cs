using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

// Wire contracts of the canonical API (docs/api.md). They are separate from the grain records so the
// records can evolve without breaking clients; SessionMapping turns one into the other.

[RequestContract]
public sealed record LocationInput(
    string? City,
    string? Region,
    string? Country,
    string? CountryCode,
    double? Latitude,
    double? Longitude);

[RequestContract]
public sealed record ImpersonatorInput([property: Required] string? Email, string? Reason);

[RequestContract]
public sealed partial record SignOnRequest(
    [property: Required] string? Ip,
    [property: Required] string? UserAgent,
    Dictionary<string, string>? ClientHints,
    [property: Required, StringLength(InputRules.MaxAuthMethodLength, MinimumLength = 1)] string? AuthMethod,
    [property: RegularExpression(WirePatterns.ClientId)] string? ClientId,
    [property: MaxLength(InputRules.MaxHostLength)] string? Host,
    [property: RegularExpression(WirePatterns.Id)] string? OrganizationId,
    [property: RegularExpression(WirePatterns.Id)] string? PopulationId,
    ImpersonatorInput? Impersonator,
    [property: MaxLength(InputRules.MaxTextLength)] string? UserName,
    [property: MaxLength(InputRules.MaxTextLength)] string? DisplayName,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? ExpiresIn,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? IdleTimeout,
    LocationInput? Location,
    [property: MaxLength(InputRules.MaxClientIdLength)] string? DeviceId = null);

[RequestContract]
public sealed partial record ReauthenticateRequest(
    [property: Required] string? Ip,
    [property: Required, StringLength(InputRules.MaxAuthMethodLength, MinimumLength = 1)] string? AuthMethod,
    [property: RegularExpression(WirePatterns.ClientId)] string? ClientId,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? ExpiresIn,
    [property: Range(RequestRules.MinLifetimeSeconds, RequestRules.MaxLifetimeSeconds)] long? IdleTimeout,
    LocationInput? Location);

[RequestContract]
public sealed partial record ActivityRequest(string? Ip, string? UserAgent, [property: RegularExpression(WirePatterns.ClientId)] string? ClientId);

[RequestContract]
public sealed partial record RevokeRequest([property: MaxLength(RequestRules.MaxReasonLength)] string? Reason);

[RequestContract]
public sealed partial record RevokeAllRequest(
    [property: MaxLength(RequestRules.MaxReasonLength)] string? Reason,
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
    double? Longitude);

public sealed record SignOnEventResponse(DateTimeOffset At, string Ip, string Method);

public sealed record ImpersonatorResponse(string Email, string? Reason);

public sealed record EndResponse(string By, string? Reason);

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
    EndResponse? End);

public sealed record SignOnResponse(SessionResponse Session, string Token);

public sealed record SessionListResponse(IReadOnlyList<SessionResponse> Items, string? NextCursor);

public sealed record RevokeAllResponse(int Count, IReadOnlyList<string> Revoked);
