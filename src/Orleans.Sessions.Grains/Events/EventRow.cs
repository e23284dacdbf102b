namespace Orleans.Sessions.Events;

/// <summary>An event as the event log stores it: the columns it is found by, and the event itself as stored JSON.</summary>
public sealed record EventRow(string EventId, string Tenant, string UserId, string SessionId, string Type, DateTimeOffset OccurredAt, byte[] Payload)
{
    /// <summary>The rows of <paramref name="outbox"/>'s pending events, each serialized by <paramref name="serialize"/> (the storage's JSON).</summary>
    public static EventRow[]? Of(object? outbox, Func<SessionEvent, byte[]> serialize) =>
        outbox is IEventOutbox { PendingEvents.Count: > 0 } pending
            ? [.. pending.PendingEvents.Select(e => new EventRow(e.Id, e.Tenant, e.UserId, e.SessionId, e.Type.Name(), e.OccurredAt, serialize(e)))]
            : null;
}
