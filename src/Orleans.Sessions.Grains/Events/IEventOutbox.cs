namespace Orleans.Sessions.Events;

/// <summary>
/// A grain state that carries the events of its changes (docs/events.md, "The outbox"): the grain storage commits them
/// into the event log in the same transaction as the state itself, so an event exists exactly when its change was
/// stored. Inserting an event whose id the log has is a no-op, so writing the same events again does no harm.
/// </summary>
public interface IEventOutbox
{
    IReadOnlyList<SessionEvent> PendingEvents { get; }

    /// <summary>
    /// Hides the pending events from serialization until the handle is disposed: for a storage that commits them from
    /// <see cref="PendingEvents"/> itself (SQLite), so the state's payload does not carry them a second time.
    /// </summary>
    IDisposable HidePendingEvents();
}
