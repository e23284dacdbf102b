using System.Collections.Immutable;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Orleans.Sessions.Events;

/// <summary>
/// A tenant's events from the log, for the pull feed: a stateless worker on the silo that takes the call (where the
/// storage is), so gateways need no access to it. Payloads are the stored JSON of <see cref="SessionEvent"/>, read
/// back with the storage's serializer.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainType("eventfeed")]
public sealed class EventFeedGrain(IEventLog log, IGrainStorageSerializer serializer) : Grain, IEventFeedGrain
{
    public async Task<EventPage> ReadAsync(EventQuery query)
    {
        var rows = await log.ReadAsync(this.GetPrimaryKeyString(), query, CancellationToken.None);
        var items = rows.Select(row => new LoggedEvent(row.Position, serializer.Deserialize<SessionEvent>(new BinaryData(row.Payload))!)).ToImmutableArray();
        return new EventPage(items, items.IsEmpty ? query.After : items[^1].Position);
    }
}
