using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.WorkOs;

[RequestContract]
public sealed partial record WorkOsRevokeRequest([property: JsonPropertyName("session_id"), Required, RegularExpression(WirePatterns.WorkOsSessionId)] string? SessionId);

public sealed record WorkOsImpersonator(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("reason")] string? Reason);

public sealed record WorkOsSession(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("impersonator")] WorkOsImpersonator? Impersonator,
    [property: JsonPropertyName("ip_address")] string IpAddress,
    [property: JsonPropertyName("organization_id")] string? OrganizationId,
    [property: JsonPropertyName("user_agent")] string? UserAgent,
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("auth_method")] string AuthMethod,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("ended_at")] DateTimeOffset? EndedAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    [JsonPropertyName("object")]
    [JsonPropertyOrder(-1)]
    public string Object => "session";
}

public sealed record WorkOsListMetadata(
    [property: JsonPropertyName("before")] string? Before,
    [property: JsonPropertyName("after")] string? After);

public sealed record WorkOsList(
    [property: JsonPropertyName("data")] IReadOnlyList<WorkOsSession> Data,
    [property: JsonPropertyName("list_metadata")] WorkOsListMetadata ListMetadata)
{
    [JsonPropertyName("object")]
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

/// <summary>WorkOS' error body: <c>{ code, message }</c>, and for invalid parameters a 422 with <c>errors</c>.</summary>
public sealed record WorkOsError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("errors"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WorkOsFieldError>? Errors);

public sealed record WorkOsFieldError(
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);
