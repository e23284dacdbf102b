using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Api.Deliveries;

/// <summary>One attempt of the delivery log.</summary>
public sealed record DeliveryAttemptResponse(string EventId, string Type, DateTimeOffset At, int Attempt, int? Status, double LatencyMs, string? Error, string Outcome)
{
    public static DeliveryAttemptResponse From(DeliveryAttempt a) =>
        new(a.EventId, a.Type.Name(), a.At, a.Attempt, a.Status, Math.Round(a.Latency.TotalMilliseconds, 1), a.Error, a.Outcome switch
        {
            DeliveryOutcome.Delivered => "delivered",
            DeliveryOutcome.Retrying => "retrying",
            _ => "dead-lettered",
        });
}

public sealed record DeliveryAttemptsResponse(IReadOnlyList<DeliveryAttemptResponse> Items);
