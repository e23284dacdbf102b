namespace Orleans.Sessions.Deliveries;

/// <summary>
/// What a registration grain (webhook endpoints, back-channel clients, Shared Signals streams) does for a receiver's
/// delivery: start it and list it in the cluster's <see cref="IDeliveryRegistryGrain"/>, so a silo that restarts finds it
/// again; stop it and take it off the list.
/// </summary>
internal static class DeliveryLifecycle
{
    public static async Task StartAsync(IGrainFactory grains, string tenant, string receiverId)
    {
        var key = DeliveryKey.Of(tenant, receiverId);
        await grains.GetGrain<IDeliveryRegistryGrain>(IDeliveryRegistryGrain.Key).AddAsync(key);
        await grains.GetGrain<IEventDeliveryGrain>(key).EnsureRunningAsync();
    }

    public static async Task StopAsync(IGrainFactory grains, string tenant, string receiverId)
    {
        var key = DeliveryKey.Of(tenant, receiverId);
        await grains.GetGrain<IEventDeliveryGrain>(key).StopAsync();
        await grains.GetGrain<IDeliveryRegistryGrain>(IDeliveryRegistryGrain.Key).RemoveAsync(key);
    }
}
