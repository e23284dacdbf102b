using System.Text.Json.Serialization;

namespace Orleans.Sessions.Api.PingOne;

public sealed record PingOneLink(string Href);

public sealed record IdRef(string Id);

public sealed record NameVersion(string Name, string? Version);

public sealed record PingOneListLinks(PingOneLink Self);

public sealed record PingOneSessionLinks(PingOneLink Self, PingOneLink Environment, PingOneLink User);

public sealed record PingOneEmbedded(IReadOnlyList<PingOneSession> Sessions);

public sealed record PingOneSessionList(
    [property: JsonPropertyName("_links")] PingOneListLinks Links,
    [property: JsonPropertyName("_embedded")] PingOneEmbedded Embedded,
    int Count,
    int Size);

public sealed record PingOneLocation(DateTimeOffset At, string RemoteIp, string? City, string? State, string? Country);

public sealed record PingOneSignOn(string RemoteIp, DateTimeOffset At);

public sealed record PingOneDevice(string Type);

public sealed record PingOneSession(
    [property: JsonPropertyName("_links")] PingOneSessionLinks Links,
    string Id,
    IdRef Environment,
    IdRef User,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActiveAt,
    IReadOnlyList<PingOneLocation> Locations,
    PingOneSignOn LastSignOn,
    NameVersion Browser,
    NameVersion OperatingSystem,
    PingOneDevice Device);

/// <summary>One PingOne error: <c>{ id, code, message, details? }</c>.</summary>
public sealed record PingOneError(string Id, string Code, string Message, IReadOnlyList<PingOneErrorDetail>? Details);

public sealed record PingOneErrorDetail(string Code, string Target, string Message);
