namespace Orleans.Sessions.Deliveries;

/// <summary>
/// The receivers of one kind (webhook endpoints, back-channel logout clients, Shared Signals push streams), told apart by the prefix of their ids:
/// where a delivery finds its receiver's registration each round and marks it failing or not.
/// </summary>
public interface IDeliveryReceivers
{
    /// <summary>The prefix of this kind's ids (<c>ep_</c>, <c>rp_</c>, <c>st_</c>).</summary>
    string IdPrefix { get; }

    /// <summary>The kind, as metrics tag it (<c>webhook</c>, <c>backchannel_logout</c>, <c>ssf_push</c>).</summary>
    string Kind { get; }

    /// <summary>The receiver as registered now; null when it was deleted.</summary>
    Task<IDeliveryTarget?> FindAsync(string tenant, string id);

    Task SetFailingAsync(string tenant, string id, DateTimeOffset? since);
}
