using System.Collections.Immutable;

namespace Orleans.Sessions.Users;

/// <summary>The orders a user's session list can be read in.</summary>
[GenerateSerializer, Alias("sessions.SessionSort")]
public enum SessionSortField
{
    CreatedAt = 0,
    ActiveAt = 1,
    ExpiresAt = 2,

    /// <summary>By session id alone: creation order within a user, whatever the clock did.</summary>
    Id = 3,
}

/// <summary>A keyset position in a user's session list: the sort key and id of the last item seen.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SessionListPosition")]
public sealed record SessionListPosition(
    [property: Id(0)] long SortKey,
    [property: Id(1)] string SessionId);

[GenerateSerializer, Immutable, Alias("sessions.SessionQuery")]
public sealed record SessionQuery
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    [Id(0)] public SessionStatus? Status { get; init; }
    [Id(1)] public string? ClientId { get; init; }
    [Id(2)] public SessionSortField Sort { get; init; } = SessionSortField.CreatedAt;
    [Id(3)] public bool Descending { get; init; } = true;
    [Id(4)] public int Limit { get; init; } = DefaultLimit;
    [Id(5)] public SessionListPosition? After { get; init; }
}

[GenerateSerializer, Immutable, Alias("sessions.SessionPage")]
public sealed record SessionPage(
    [property: Id(0)] ImmutableArray<Session> Items,
    [property: Id(1)] SessionListPosition? Next);
