using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.SessionDirectory;

public sealed record DirectoryBrowserResponse(string Name, string? Version);

public sealed record DirectoryOsResponse(string Name, string? Version);

public sealed record DirectoryDeviceResponse(string Type, string? Model);

/// <summary>One active session in list-all: the directory's summary with its user's display data.</summary>
public sealed record DirectorySessionResponse(
    string Id,
    string Tenant,
    string UserId,
    string? UserName,
    string? DisplayName,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActiveAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset IdleExpiresAt,
    string AuthMethod,
    IReadOnlyList<string> ClientIds,
    string Ip,
    string? CountryCode,
    string? City,
    DirectoryBrowserResponse Browser,
    DirectoryOsResponse Os,
    DirectoryDeviceResponse Device,
    bool Impersonated,
    string? PopulationId,
    string? OrganizationId,
    string? Host,
    IReadOnlyDictionary<string, MetadataValue>? Metadata,
    DirectoryRiskResponse Risk);

/// <summary>A session's risk in list-all (docs/risk.md): its signals and score.</summary>
public sealed record DirectoryRiskResponse(IReadOnlyList<string> Signals, int Score);

public sealed record DirectoryListResponse(IReadOnlyList<DirectorySessionResponse> Items, int Total, string? NextCursor);

public sealed record DirectoryCountResponse(
    int Total,
    IReadOnlyDictionary<string, int> ByStatus,
    IReadOnlyDictionary<string, int> ByCountry,
    IReadOnlyDictionary<string, int> ByDeviceType,
    IReadOnlyDictionary<string, int> ByRisk,
    IReadOnlyDictionary<string, int> ByAuthMethod);
