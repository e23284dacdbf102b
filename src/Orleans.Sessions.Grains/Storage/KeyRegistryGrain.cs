using System.Collections.Immutable;

namespace Orleans.Sessions.Storage;

/// <summary>A stored list of grain keys (<see cref="KeyRegistryGrain{TState}"/>'s state).</summary>
public interface IKeyList
{
    List<string> Keys { get; }
}

/// <summary>
/// A single grain's stored list of the keys of grains a keeper must find again after a restart — the receivers'
/// deliveries, the running jobs: added once, removed once, listed.
/// </summary>
public abstract class KeyRegistryGrain<TState>(IPersistentState<TState> state) : Grain
    where TState : IKeyList
{
    public async Task AddAsync(string key)
    {
        if (!state.State.Keys.Contains(key))
        {
            state.State.Keys.Add(key);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string key)
    {
        if (state.State.Keys.Remove(key))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ImmutableArray<string>> ListAsync() => Task.FromResult(state.State.Keys.ToImmutableArray());
}
