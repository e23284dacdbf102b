using System.Diagnostics.Metrics;

namespace Orleans.Sessions.Webhooks;

/// <summary>Webhook deliveries (docs/operations.md, "Metrics"): attempts by outcome, and how long each took. Tenant-free.</summary>
public sealed class WebhookMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SessionsMeter.Name);
        _attempts = meter.CreateCounter<long>("sessions.webhook.attempts", "{attempt}", "Webhook delivery attempts, by outcome: delivered, retrying, dead_lettered.");
        _duration = meter.CreateHistogram(
            "sessions.webhook.attempt.duration", "s", "One delivery attempt, request to answer (or failure).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

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
}
