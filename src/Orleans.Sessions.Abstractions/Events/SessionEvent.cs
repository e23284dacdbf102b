using Orleans.Sessions.Users;

namespace Orleans.Sessions.Events;

/// <summary>What happened to a session (docs/events.md, "Types").</summary>
public enum SessionEventType
{
    /// <summary><c>session.created</c>: a sign-on.</summary>
    Created = 0,

    /// <summary><c>session.reauthenticated</c>: a new sign-on into an active session.</summary>
    Reauthenticated = 1,

    /// <summary><c>session.ended</c>: the user signed out.</summary>
    Ended = 2,

    /// <summary><c>session.revoked</c>: someone ended it (one session or all of a user's).</summary>
    Revoked = 3,

    /// <summary><c>session.evicted</c>: ended to make room for a sign-on (active limit, or dropped from a full ring).</summary>
    Evicted = 4,

    /// <summary><c>session.expired</c>: its absolute or idle expiry passed.</summary>
    Expired = 5,

    /// <summary><c>session.risk</c>: its risk assessment changed (emitted once risk signals exist).</summary>
    Risk = 6,

    /// <summary><c>session.updated</c>: its metadata changed (a merge patch).</summary>
    Updated = 7,
}

/// <summary>
/// One stored change of a session (docs/events.md): written in the same durable write as the change, delivered at
/// least once, in order per user. <see cref="Id"/> is a ULID consumers deduplicate on; <see cref="Data"/> is the session
/// after the change, with <c>end { by, reason }</c> for endings. Stored as camelCase JSON like grain state: property
/// names are the storage contract.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.SessionEvent")]
public sealed record SessionEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] SessionEventType Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string Tenant,
    [property: Id(4)] string UserId,
    [property: Id(5)] string SessionId,
    [property: Id(6)] Session Data);
