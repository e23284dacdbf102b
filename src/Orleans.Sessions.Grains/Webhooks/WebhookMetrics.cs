using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Webhooks;

/// <summary>
/// Webhook deliveries (docs/operations.md, "Metrics"): attempts by outcome and how long each took, and how far this
/// silo's deliveries are behind the event log — events read and not yet delivered, and the age of the oldest of them.
/// Tenant-free.
/// </summary>
public sealed class WebhookMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, Backlog> _backlogs = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    /// <param name="meters">Where the instruments are made.</param>
    /// <param name="clock">Session time: the lag is measured on the clock that dated the events.</param>
    public WebhookMetrics(IMeterFactory meters, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock)
    {
        _clock = clock;
        var meter = meters.Create(SessionsMeter.Name);
        _attempts = meter.CreateCounter<long>("sessions.webhook.attempts", "{attempt}", "Webhook delivery attempts, by outcome: delivered, retrying, dead_lettered.");
        _duration = meter.CreateHistogram(
            "sessions.webhook.attempt.duration", "s", "One delivery attempt, request to answer (or failure).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        meter.CreateObservableGauge(
            "sessions.webhook.endpoints", () => Endpoints, "{endpoint}", "Webhook endpoints with a delivery, all tenants: the same on every silo (take the max, not the sum).");
        meter.CreateObservableGauge(
            "sessions.webhook.backlog", () => _backlogs.Values.Sum(backlog => (long)backlog.Events), "{event}",
            "Events this silo's webhook deliveries have read from the event log and not yet delivered, of the types each endpoint wants (at most 500 per endpoint: the window a delivery reads ahead).");
        meter.CreateObservableGauge(
            "sessions.webhook.lag", OldestAge, "s",
            "Age of the oldest event this silo's webhook deliveries have not yet delivered; 0 when every endpoint is caught up.");
    }

    /// <summary>Endpoints with a delivery, as <see cref="WebhookDeliveryKeeper"/> last counted them.</summary>
    public int Endpoints { get; set; }

    public void Attempted(WebhookOutcome outcome, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome switch
        {
            WebhookOutcome.Delivered => "delivered",
            WebhookOutcome.Retrying => "retrying",
            _ => "dead_lettered",
        });
        _attempts.Add(1, tag);
        _duration.Record(duration.TotalSeconds, tag);
    }

    /// <summary>What one endpoint's delivery has read and not yet delivered; <paramref name="oldest"/> is when the first of it occurred.</summary>
    public void Behind(string endpoint, int events, DateTimeOffset? oldest)
    {
        if (events == 0)
        {
            _backlogs.TryRemove(endpoint, out _);
        }
        else
        {
            _backlogs[endpoint] = new Backlog(events, oldest);
        }
    }

    private double OldestAge()
    {
        var now = _clock.GetUtcNow();
        return _backlogs.Values.Select(backlog => backlog.Oldest is { } oldest ? Math.Max((now - oldest).TotalSeconds, 0) : 0).DefaultIfEmpty(0).Max();
    }

    private readonly record struct Backlog(int Events, DateTimeOffset? Oldest);
}
