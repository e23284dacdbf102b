using Orleans.Sessions.Events;

namespace Orleans.Sessions.Deliveries;

/// <summary>One attempt to deliver one event to one receiver, for its delivery log.</summary>
[GenerateSerializer, Immutable, Alias("sessions.WebhookAttempt")] // Named when only webhooks were delivered: kept for rolling upgrades.
public sealed record DeliveryAttempt(
    [property: Id(0)] string EventId,
    [property: Id(1)] SessionEventType Type,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] int Attempt,
    [property: Id(4)] int? Status,
    [property: Id(5)] TimeSpan Latency,
    [property: Id(6)] string? Error,
    [property: Id(7)] DeliveryOutcome Outcome);

public enum DeliveryOutcome
{
    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 0,

    /// <summary>It did not; the event is retried after a backoff.</summary>
    Retrying = 1,

    /// <summary>It did not for the whole retry window: the event is dead-lettered and the receiver marked failing.</summary>
    DeadLettered = 2,
}
