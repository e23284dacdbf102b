using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.RocketChat;

public sealed record RocketChatOs(string Name, string? Version);

public sealed record RocketChatDevice(string Type, string Name, string? LongVersion, RocketChatOs Os, string? Version);

public sealed record RocketChatUser(string Username, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

public sealed record RocketChatSession(
    string SessionId,
    string UserId,
    RocketChatDevice Device,
    string? Host,
    string Ip,
    DateTimeOffset LoginAt,
    [property: JsonPropertyName("_user"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RocketChatUser? User,
    [property: JsonPropertyName("_id")] string Id)
{
    /// <summary>Set on <c>sessions/info</c>, which answers the session itself with Rocket.Chat's success flag.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Success { get; init; }
}

public sealed record RocketChatSessionList(IReadOnlyList<RocketChatSession> Sessions, int Total, int Count, int Offset, bool Success);

[RequestContract]
public sealed partial record RocketChatLogoutRequest([property: Required, RegularExpression(WirePatterns.SessionId)] string? SessionId);

public sealed record RocketChatLogoutResponse(string SessionId, bool Success);

public sealed record RocketChatAuthError(string Status, string Message);

public sealed record RocketChatError(bool Success, string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorType);

public sealed record RocketChatTwoFactorDetails(string Method, bool CodeGenerated, IReadOnlyList<object> AvailableMethods);

public sealed record RocketChatTwoFactorError(bool Success, string Error, string ErrorType, RocketChatTwoFactorDetails Details);
