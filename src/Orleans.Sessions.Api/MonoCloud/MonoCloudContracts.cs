using System.Text.Json.Serialization;

namespace Orleans.Sessions.Api.MonoCloud;

public sealed record MonoCloudMetadata(
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("city")] string? City,
    [property: JsonPropertyName("latitude")] string? Latitude,
    [property: JsonPropertyName("ip_address")] string IpAddress,
    [property: JsonPropertyName("region")] string? Region,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("longitude")] string? Longitude);

public sealed record MonoCloudSession(
    [property: JsonPropertyName("last_updated")] long LastUpdated,
    [property: JsonPropertyName("expires_at")] long ExpiresAt,
    [property: JsonPropertyName("last_metadata")] MonoCloudMetadata LastMetadata,
    [property: JsonPropertyName("session_key")] string SessionKey,
    [property: JsonPropertyName("session_id")] string SessionId,
    [property: JsonPropertyName("initiated_at")] long InitiatedAt,
    [property: JsonPropertyName("client_ids")] IReadOnlyList<string> ClientIds);
