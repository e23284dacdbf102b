using System.Net.Http.Headers;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Events;
using Orleans.Sessions.Keys;

namespace Orleans.Sessions.SharedSignals;

/// <summary>
/// Shared Signals push streams as receivers of deliveries (RFC 8935; docs/shared-signals.md, "Delivery"): for each
/// sign-on and ending of a session the stream covers, a SET signed by the tenant's current key, POSTed as
/// <c>application/secevent+jwt</c> with the receiver's authorization header. A paused stream holds its events; a
/// disabled one lets them pass undelivered. A poll stream is not a receiver of deliveries (<see cref="SsfPollGrain"/>).
/// </summary>
public sealed class SsfPushReceivers(IGrainFactory grains) : IDeliveryReceivers
{
    public string IdPrefix => SsfStream.IdPrefix;

    public string Kind => "ssf_push";

    public async Task<IDeliveryTarget?> FindAsync(string tenant, string id) =>
        await grains.GetGrain<ISsfStreamsGrain>(tenant).FindAsync(id) is { Method: SsfDeliveryMethod.Push } stream
            ? new Target(stream, grains.GetGrain<ISigningKeysGrain>(tenant))
            : null;

    public Task SetFailingAsync(string tenant, string id, DateTimeOffset? since) =>
        grains.GetGrain<ISsfStreamsGrain>(tenant).SetFailingAsync(id, since);

    private sealed class Target(SsfStream stream, ISigningKeysGrain keys) : IDeliveryTarget
    {
        private readonly SsfEventFilter _filter = new(stream);

        public bool Enabled => stream.Status != SsfStreamStatus.Paused;

        public DateTimeOffset? FailingSince => stream.FailingSince;

        public EventPosition? DeliversAfter => stream.DroppedThrough;

        public bool Wants(SessionEvent sessionEvent) => _filter.Wants(sessionEvent);

        public async Task<HttpRequestMessage> CreateRequestAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            var token = await keys.SignAsync(SecurityEventToken.Type, SecurityEventToken.Claims(stream, sessionEvent, TimeProvider.System.GetUtcNow()));
            return Request(stream, token);
        }
    }

    /// <summary>A push of one SET as RFC 8935 says: <c>application/secevent+jwt</c>, accepting JSON errors, with the receiver's authorization.</summary>
    public static HttpRequestMessage Request(SsfStream stream, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, stream.EndpointUrl) { Content = new StringContent(token) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/secevent+jwt");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (stream.AuthorizationHeader is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return request;
    }
}
