namespace Orleans.Sessions;

/// <summary>
/// References to string-keyed grains of interface <typeparamref name="TGrain"/> without Orleans resolving the interface
/// and grain type on every call: <c>IGrainFactory.GetGrain&lt;T&gt;(string)</c> reads the interface's attributes by
/// reflection each time (a profile of the list route, bench/README.md). Both types are taken once from a first
/// reference made the usual way; they are names, the same for every factory in the process.
/// </summary>
public static class GrainReferences<TGrain>
    where TGrain : IGrainWithStringKey
{
    private static (GrainType Type, GrainInterfaceType Interface)? _types;

    public static TGrain Get(IGrainFactory grains, string key)
    {
        if (_types is { } types)
        {
            return (TGrain)grains.GetGrain(GrainId.Create(types.Type, key), types.Interface);
        }

        var first = grains.GetGrain<TGrain>(key);
        var reference = (GrainReference)(object)first;
        _types = (reference.GrainId.Type, reference.InterfaceType);
        return first;
    }
}
