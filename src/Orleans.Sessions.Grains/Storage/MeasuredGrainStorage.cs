using System.Diagnostics;
using Orleans.Storage;

namespace Orleans.Sessions.Storage;

/// <summary>
/// A grain storage whose writes and clears are measured as commits of one write each (<see cref="StorageMetrics"/>):
/// wraps a provider that commits every write on its own (Orleans' ADO.NET storage on PostgreSQL). Reads pass through.
/// </summary>
public sealed class MeasuredGrainStorage(IGrainStorage inner, StorageMetrics metrics, string storage)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.WriteStateAsync(stateName, grainId, grainState);
        metrics.Committed(storage, started, 1);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var started = Stopwatch.GetTimestamp();
        await inner.ClearStateAsync(stateName, grainId, grainState);
        metrics.Committed(storage, started, 1);
    }

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}
