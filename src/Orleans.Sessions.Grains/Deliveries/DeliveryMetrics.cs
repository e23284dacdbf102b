using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// Deliveries — webhooks, back-channel logout tokens, Shared Signals SETs pushed or polled — (docs/operations.md,
/// "Metrics"): attempts by kind of receiver and outcome and how long each took, polled SETs by outcome, and how far this silo's deliveries are behind the event log — events read and not
/// yet delivered, and the age of the oldest of them. Tenant-free.
/// </summary>
public sealed class DeliveryMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _polled;
    private readonly ConcurrentDictionary<string, Backlog> _backlogs = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    /// <param name="meters">Where the instruments are made.</param>
    /// <param name="clock">Session time: the lag is measured on the clock that dated the events.</param>
    public DeliveryMetrics(IMeterFactory meters, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(SessionsMeter.Name);
        _attempts = meter.CreateCounter<long>("sessions.delivery.attempts", "{attempt}", "Delivery attempts, by receiver (webhook, backchannel_logout, ssf_push) and outcome (delivered, retrying, dead_lettered).");
        _duration = meter.CreateHistogram(
            "sessions.delivery.attempt.duration", "s", "One delivery attempt, request to answer (or failure).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _polled = meter.CreateCounter<long>(
            "sessions.delivery.polled", "{set}", "SETs of Shared Signals poll streams (receiver ssf_poll), by outcome: sent (new in an answer), resent (answered again, not acknowledged in time), acknowledged, refused (setErrs).");
        meter.CreateObservableGauge(
            "sessions.delivery.receivers", () => Receivers, "{receiver}", "Receivers with a delivery (webhook endpoints, back-channel logout clients, Shared Signals push streams), all tenants: the same on every silo (take the max, not the sum).");
        meter.CreateObservableGauge(
            "sessions.delivery.backlog", () => _backlogs.Values.Sum(backlog => (long)backlog.Events), "{event}",
            "Events this silo's deliveries have read from the event log and not yet delivered, of those each receiver wants (at most 500 per receiver: the window a delivery reads ahead); for a poll stream, the SETs answered and not yet acknowledged (at most Sessions:SharedSignals:MaxUnacknowledged).");
        meter.CreateObservableGauge(
            "sessions.delivery.lag", OldestAge, "s",
            "Age of the oldest event this silo's deliveries have not yet delivered; 0 when every receiver is caught up.");
    }

    /// <summary>Receivers with a delivery, as <see cref="DeliveryKeeper"/> last counted them.</summary>
    public int Receivers { get; set; }

    public void Attempted(string receiver, DeliveryOutcome outcome, TimeSpan duration)
    {
        var tags = new TagList
        {
            { "receiver", receiver },
            {
                "outcome", outcome switch
                {
                    DeliveryOutcome.Delivered => "delivered",
                    DeliveryOutcome.Retrying => "retrying",
                    _ => "dead_lettered",
                }
            },
        };
        _attempts.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>What one poll answered: SETs answered again and SETs new.</summary>
    public void Polled(int resent, int sent)
    {
        Count(_polled, resent, "resent");
        Count(_polled, sent, "sent");
    }

    /// <summary>What one poll settled: SETs acknowledged and SETs refused.</summary>
    public void Settled(int acknowledged, int refused)
    {
        Count(_polled, acknowledged, "acknowledged");
        Count(_polled, refused, "refused");
    }

    /// <summary>What one receiver's delivery has read and not yet delivered; <paramref name="oldest"/> is when the first of it occurred.</summary>
    public void Behind(string delivery, int events, DateTimeOffset? oldest)
    {
        if (events == 0)
        {
            _backlogs.TryRemove(delivery, out _);
        }
        else
        {
            _backlogs[delivery] = new Backlog(events, oldest);
        }
    }

    private static void Count(Counter<long> counter, int count, string outcome)
    {
        if (count > 0)
        {
            counter.Add(count, new TagList { { "receiver", "ssf_poll" }, { "outcome", outcome } });
        }
    }

    private double OldestAge()
    {
        var now = _clock.GetUtcNow();
        return _backlogs.Values.Select(backlog => backlog.Oldest is { } oldest ? Math.Max((now - oldest).TotalSeconds, 0) : 0).DefaultIfEmpty(0).Max();
    }

    private readonly record struct Backlog(int Events, DateTimeOffset? Oldest);
}
