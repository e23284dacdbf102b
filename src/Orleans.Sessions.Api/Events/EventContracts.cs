using Orleans.Sessions.Api.Canonical;

namespace Orleans.Sessions.Api.Events;

/// <summary>
/// An event as the feed (and webhooks) show it (docs/events.md, "Types"): <c>data</c> is the session as the canonical API
/// shows it after the change, <c>end</c> included for endings.
/// </summary>
public sealed record EventResponse(string Id, string Type, DateTimeOffset OccurredAt, string Tenant, string UserId, string SessionId, SessionResponse Data);

/// <summary>A page of the feed and the position to read after next (the same as <c>after</c> when nothing new was there).</summary>
public sealed record EventFeedResponse(IReadOnlyList<EventResponse> Items, string Next);
