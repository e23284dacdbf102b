namespace Orleans.Sessions.Deliveries;

/// <summary>The key of a receiver's delivery grain (<see cref="IEventDeliveryGrain"/>): <c>tenant/receiverId</c>.</summary>
public static class DeliveryKey
{
    public static string Of(string tenant, string receiverId) => $"{tenant}/{receiverId}";

    /// <summary>The tenant and the receiver's id (receiver ids hold no slash; tenant ids neither).</summary>
    public static (string Tenant, string ReceiverId) Split(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
