using Orleans.Sessions.Api.Console.Me;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>The session search page: the form as filled in, and the page of sessions it found (none before a search the key may make).</summary>
public sealed record SessionSearchModel(
    AdminView Admin,
    SearchForm Form,
    IReadOnlyDictionary<string, string[]> Errors,
    SearchResults? Results,
    string Language);

/// <summary>A page of list-all: how many match in all, this page's rows, and the addresses of the first and the next page.</summary>
public sealed record SearchResults(int Total, IReadOnlyList<SearchRow> Rows, string FirstHref, string? NextHref, bool IsLaterPage);

/// <summary>One active session in the search results.</summary>
public sealed record SearchRow(
    string SessionId,
    string UserId,
    string UserLabel,
    string UserHref,
    string DeviceType,
    string Device,
    string? Place,
    string Ip,
    string AuthMethod,
    DateTimeOffset LoginAt,
    string LoginAgo,
    DateTimeOffset ActiveAt,
    string ActiveAgo,
    int RiskScore,
    IReadOnlyList<string> RiskSignals,
    string? RevokeHref);

/// <summary>A user's sessions, every status, newest first.</summary>
public sealed record UserSessionsModel(AdminView Admin, string UserId, IReadOnlyList<UserSessionRow> Sessions, string? Notice, string Language);

/// <summary>One of a user's sessions, with its places.</summary>
public sealed record UserSessionRow(
    string Id,
    string Status,
    string DeviceType,
    string Device,
    string? Place,
    string AuthMethod,
    IReadOnlyList<string> ClientIds,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActiveAt,
    string ActiveAgo,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    string? EndReason,
    int RiskScore,
    IReadOnlyList<string> RiskSignals,
    IReadOnlyList<PlaceVisit> Places,
    string? RevokeHref);

/// <summary>The question before ending one session, with the session it is about and the reason asked for.</summary>
public sealed record RevokeSessionModel(AdminView Admin, string UserId, UserSessionRow Session, string Reason, string? Error);
