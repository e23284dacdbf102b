using System.Collections.Immutable;

namespace Orleans.Sessions.Events;

/// <summary>
/// A position in a tenant's event log: after every event a consumer has seen. Opaque to consumers; on PostgreSQL it
/// is the writing transaction's id and the row's number (events are read only below every running transaction, so no
/// later commit lands behind a position already handed out), on SQLite the row's number alone (one writer commits in
/// order).
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.EventPosition")]
public readonly record struct EventPosition([property: Id(0)] ulong Transaction, [property: Id(1)] long Row) : IComparable<EventPosition>
{
    public static EventPosition Start => default;

    /// <summary>Log order: by writing transaction, then row.</summary>
    public int CompareTo(EventPosition other) => Transaction != other.Transaction ? Transaction.CompareTo(other.Transaction) : Row.CompareTo(other.Row);
}

/// <summary>A read of a tenant's events after <see cref="After"/>, at most <see cref="Limit"/>, optionally one type or one user's.</summary>
[GenerateSerializer, Immutable, Alias("sessions.EventQuery")]
public sealed record EventQuery
{
    [Id(0)] public EventPosition After { get; init; }

    [Id(1)] public int Limit { get; init; } = 100;

    [Id(2)] public SessionEventType? Type { get; init; }

    [Id(3)] public string? UserId { get; init; }
}

/// <summary>An event and where it stands in its tenant's log.</summary>
[GenerateSerializer, Immutable, Alias("sessions.LoggedEvent")]
public sealed record LoggedEvent([property: Id(0)] EventPosition Position, [property: Id(1)] SessionEvent Event);

/// <summary>
/// Events in log order, and the position to read after next: the last event's, or — when the read found none — the
/// position given, so a consumer polls from where it is.
/// </summary>
[GenerateSerializer, Immutable, Alias("sessions.EventPage")]
public sealed record EventPage([property: Id(0)] ImmutableArray<LoggedEvent> Items, [property: Id(1)] EventPosition Next);

/// <summary>A tenant's event log, read on a silo (where the storage is); a stateless worker, key = tenant.</summary>
[Alias("sessions.IEventFeedGrain")]
public interface IEventFeedGrain : IGrainWithStringKey
{
    [Alias("Read")]
    Task<EventPage> ReadAsync(EventQuery query);
}

/// <summary>Events to deliver again: one by <see cref="EventId"/>, or those that occurred in [<see cref="From"/>, <see cref="Until"/>).</summary>
[GenerateSerializer, Immutable, Alias("sessions.EventSelection")]
public sealed record EventSelection
{
    /// <summary>The most events one redelivery request takes.</summary>
    public const int MaxEvents = 1000;

    [Id(0)] public string? EventId { get; init; }

    [Id(1)] public DateTimeOffset? From { get; init; }

    [Id(2)] public DateTimeOffset? Until { get; init; }

    [Id(3)] public int Limit { get; init; } = MaxEvents;
}
