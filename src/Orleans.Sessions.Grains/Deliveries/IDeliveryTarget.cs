using Orleans.Sessions.Events;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// A receiver as its delivery sees it for one round (docs/webhooks.md, "Delivery"): whether it takes deliveries now,
/// which events it wants, and the request that carries one event — made afresh for each attempt, since signatures and
/// tokens carry the attempt's time.
/// </summary>
public interface IDeliveryTarget
{
    bool Enabled { get; }

    /// <summary>Set when an event was dead-lettered; cleared by the next success.</summary>
    DateTimeOffset? FailingSince { get; }

    bool Wants(SessionEvent sessionEvent);

    /// <summary>Events at or before this position are not delivered (what happened while a stream was disabled); null: none are held back so.</summary>
    EventPosition? DeliversAfter { get; }

    Task<HttpRequestMessage> CreateRequestAsync(SessionEvent sessionEvent, CancellationToken cancellationToken);
}
