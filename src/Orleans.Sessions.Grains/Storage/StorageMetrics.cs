using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orleans.Sessions.Storage;

/// <summary>
/// Grain storage commits (docs/operations.md, "Metrics"): how long each takes and how many writes it carries, tagged
/// by storage (<c>sqlite</c> and <c>postgres</c>: a group commit carries many writes; Orleans' ADO.NET storage, also
/// <c>postgres</c>: one write a commit).
/// </summary>
public sealed class StorageMetrics
{
    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _writes;

    public StorageMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SessionsMeter.Name);
        _duration = meter.CreateHistogram(
            "sessions.storage.commit.duration", "s", "Grain storage commits, from the start of the transaction to its durable end.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _writes = meter.CreateHistogram(
            "sessions.storage.commit.writes", "{write}", "Row writes one grain storage commit carries.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] });
    }

    /// <summary>A commit of <paramref name="writes"/> rows that began at <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void Committed(string storage, long started, int writes)
    {
        var tag = new KeyValuePair<string, object?>("storage", storage);
        _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
        _writes.Record(writes, tag);
    }
}
