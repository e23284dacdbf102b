using Orleans.Sessions.Events;
using Orleans.Storage;

namespace Orleans.Sessions.Storage;

/// <summary>
/// What a storage that keeps parts and events in rows of their own writes for one grain state: the head's payload
/// (without its pending events or its parts), the events for the log and the changed parts. Call
/// <see cref="PartsDelta.Stored"/> on <see cref="Parts"/> once the write committed.
/// </summary>
public sealed record StateWrite(byte[] Payload, EventRow[]? Events, PartsDelta? Parts)
{
    public static StateWrite Of(object? state, IGrainStorageSerializer serializer)
    {
        // The events go into the event log as rows of their own, in the same transaction: the state's payload need not
        // carry them too (it is half the bytes of a sign-on's write). So do the parts that changed.
        var events = EventRow.Of(state, e => serializer.Serialize(e).ToArray());
        var parted = state as IPartedState;
        var parts = parted?.ChangedParts(serializer);
        using (events is not null ? ((IEventOutbox)state!).HidePendingEvents() : null)
        using (parted?.HideParts())
        {
            return new StateWrite(serializer.Serialize(state).ToArray(), events, parts);
        }
    }
}
