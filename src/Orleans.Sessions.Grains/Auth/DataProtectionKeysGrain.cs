using System.Collections.Immutable;
using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Auth;

/// <summary>
/// The shared Data Protection key ring (<see cref="IDataProtectionKeysGrain"/>), one row of grain storage. Keys are added
/// every 90 days by default and each is about a kilobyte: the row stays small without pruning, and a key kept after it
/// expires still reads what it protected.
/// </summary>
[GrainType("dataprotectionkeys")] // Part of every stored key: pinned.
public sealed class DataProtectionKeysGrain(
    [PersistentState("dataprotection-keys", SessionsStorage.Name)] IPersistentState<DataProtectionKeysState> state) : Grain, IDataProtectionKeysGrain
{
    public Task<ImmutableArray<string>> GetAllAsync() => Task.FromResult(state.State.Keys.Select(k => k.Xml).ToImmutableArray());

    public async Task StoreAsync(string name, string xml)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(xml);
        state.State.Keys.RemoveAll(k => k.Name == name);
        state.State.Keys.Add(new DataProtectionKey { Name = name, Xml = xml });
        await state.WriteStateAsync();
    }
}

/// <summary>The stored key ring (camelCase JSON: the property names are the storage contract).</summary>
[GenerateSerializer, Alias("sessions.DataProtectionKeysState")]
public sealed class DataProtectionKeysState
{
    [Id(0)] public List<DataProtectionKey> Keys { get; set; } = [];
}

/// <summary>One key of the ring: the name Data Protection gave it, and its XML.</summary>
[GenerateSerializer, Alias("sessions.DataProtectionKey")]
public sealed class DataProtectionKey
{
    [Id(0)] public string Name { get; set; } = "";

    [Id(1)] public string Xml { get; set; } = "";
}
