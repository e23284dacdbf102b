namespace Orleans.Sessions.Events;

/// <summary>
/// The event log the grain storage commits events into (docs/events.md, "The log"): per tenant in a stable order that
/// a consumer resumes from its last position after any crash, on either side.
/// </summary>
public interface IEventLog : Storage.IRetainedStore
{
    /// <summary>The tenant's stored events after <see cref="EventQuery.After"/>, in log order, as stored rows.</summary>
    Task<IReadOnlyList<(EventPosition Position, byte[] Payload)>> ReadAsync(string tenant, EventQuery query, CancellationToken cancellationToken);

    /// <summary>The tenant's stored events <paramref name="selection"/> names (one by id, or those of a time range), in log order.</summary>
    Task<IReadOnlyList<(EventPosition Position, byte[] Payload)>> FindAsync(string tenant, EventSelection selection, CancellationToken cancellationToken);

    /// <summary>The position after the tenant's last event (where a new follower starts).</summary>
    Task<EventPosition> EndAsync(string tenant, CancellationToken cancellationToken);
}
