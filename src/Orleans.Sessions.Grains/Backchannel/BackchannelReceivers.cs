using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Events;
using Orleans.Sessions.Keys;

namespace Orleans.Sessions.Backchannel;

/// <summary>
/// Back-channel logout clients as receivers of deliveries (docs/backchannel-logout.md): for each ending of a session the
/// client used, a logout token signed by the tenant's current key, posted as the form field <c>logout_token</c>.
/// </summary>
public sealed class BackchannelReceivers(IGrainFactory grains) : IDeliveryReceivers
{
    public string IdPrefix => BackchannelClient.IdPrefix;

    public string Kind => "backchannel_logout";

    public async Task<IDeliveryTarget?> FindAsync(string tenant, string id) =>
        await grains.GetGrain<IBackchannelClientsGrain>(tenant).FindAsync(id) is { } client
            ? new Target(client, grains.GetGrain<ISigningKeysGrain>(tenant))
            : null;

    public Task SetFailingAsync(string tenant, string id, DateTimeOffset? since) =>
        grains.GetGrain<IBackchannelClientsGrain>(tenant).SetFailingAsync(id, since);

    private sealed class Target(BackchannelClient client, ISigningKeysGrain keys) : IDeliveryTarget
    {
        public bool Enabled => client.Enabled;

        public EventPosition? DeliversAfter => null;

        public DateTimeOffset? FailingSince => client.FailingSince;

        public bool Wants(SessionEvent sessionEvent) => client.Wants(sessionEvent);

        public async Task<HttpRequestMessage> CreateRequestAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            // Real time: the relying party checks iat and exp against its own clock.
            var now = TimeProvider.System.GetUtcNow();
            var token = await keys.SignAsync(LogoutToken.Type, LogoutToken.Claims(client, sessionEvent, now, System.Ulid.NewUlid(now).ToString()));
            return new HttpRequestMessage(HttpMethod.Post, client.LogoutUri)
            {
                Content = new FormUrlEncodedContent([new("logout_token", token)]),
            };
        }
    }
}
