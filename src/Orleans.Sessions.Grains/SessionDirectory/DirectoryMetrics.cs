using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// The directory's measurements (docs/operations.md, "Metrics"): the active sessions this silo's shards index (a gauge
/// read from the shards when collected, so it costs nothing between scrapes), the sessions they found expired, and
/// how long tenant-wide queries take.
/// </summary>
public sealed class DirectoryMetrics
{
    private readonly ConcurrentDictionary<DirectoryIndex, byte> _indexes = new();
    private readonly Counter<long> _expirations;
    private readonly Histogram<double> _queryDuration;

    public DirectoryMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(SessionsMeter.Name);
        meter.CreateObservableGauge("sessions.active", () => _indexes.Keys.Sum(index => (long)index.SessionCount), "{session}",
            "Active sessions in the directory shards this silo hosts.");
        _expirations = meter.CreateCounter<long>("sessions.expirations", "{session}", "Sessions that reached their absolute or idle expiry, as the directory found them (within a minute).");
        _queryDuration = meter.CreateHistogram(
            "sessions.directory.query.duration", "s", "Tenant-wide directory queries, from the fan-out to the merged answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    /// <summary>Counts <paramref name="index"/> in the gauge until the returned handle is disposed (its shard deactivates).</summary>
    internal IDisposable Track(DirectoryIndex index)
    {
        _indexes.TryAdd(index, 0);
        return new Tracked(this, index);
    }

    public void Expired(int count)
    {
        if (count > 0)
        {
            _expirations.Add(count);
        }
    }

    /// <summary>Records the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) under <paramref name="operation"/>.</summary>
    public void Queried(string operation, long started) =>
        _queryDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    private sealed class Tracked(DirectoryMetrics metrics, DirectoryIndex index) : IDisposable
    {
        public void Dispose() => metrics._indexes.TryRemove(index, out _);
    }
}
