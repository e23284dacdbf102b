using Orleans.Sessions.Events;

namespace Orleans.Sessions.Users;

/// <summary>
/// The stored state of one user grain. It is written as camelCase JSON (System.Text.Json), so property
/// names are the storage contract: rename with care, never reuse.
/// </summary>
[GenerateSerializer, Alias("sessions.UserSessionsState")]
public sealed class UserSessionsState : IEventOutbox
{
    /// <summary>The ring, oldest first; ids increase strictly along it.</summary>
    [Id(0)]
    public List<StoredSession> Sessions { get; set; } = [];

    [Id(1)]
    public string? UserName { get; set; }

    [Id(2)]
    public string? DisplayName { get; set; }

    /// <summary>The highest session id ever issued to this user, kept after eviction so ids never go back.</summary>
    [Id(3)]
    public string? LastSessionId { get; set; }

    /// <summary>The revision of the last directory update; it only grows (see <c>UserSessionsGrain</c>).</summary>
    [Id(4)]
    public long DirectoryRevision { get; set; }

    /// <summary>
    /// The events of the changes since the last write (docs/events.md, "The outbox"): written with the state, committed
    /// into the event log by the same transaction, cleared by the grain once the write succeeded. A stored state may
    /// still hold the events of its own write; they are in the log already.
    /// </summary>
    [Id(5)]
    public List<SessionEvent> PendingEvents { get; set; } = [];

    IReadOnlyList<SessionEvent> IEventOutbox.PendingEvents => PendingEvents;

    IDisposable IEventOutbox.HidePendingEvents()
    {
        var hidden = PendingEvents;
        PendingEvents = [];
        return new Restore(this, hidden);
    }

    private sealed class Restore(UserSessionsState state, List<SessionEvent> hidden) : IDisposable
    {
        public void Dispose() => state.PendingEvents = hidden;
    }
}

/// <summary>A session in the ring, with what only the grain may see.</summary>
[GenerateSerializer, Alias("sessions.StoredSession")]
public sealed class StoredSession
{
    [Id(0)]
    public required Session Session { get; set; }

    /// <summary>Lower-case hex SHA-256 of the end-user token's secret.</summary>
    [Id(1)]
    public required string TokenHash { get; set; }

    /// <summary>How far each activity pushes <see cref="Session.IdleExpiresAt"/>.</summary>
    [Id(2)]
    public required TimeSpan IdleTimeout { get; set; }
}
