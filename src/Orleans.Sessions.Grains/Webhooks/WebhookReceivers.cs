using System.Collections.Immutable;
using System.Globalization;
using System.Net.Http.Headers;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Webhooks;

/// <summary>
/// Webhook endpoints as receivers of deliveries (docs/webhooks.md): each event the endpoint asked for, as the feed shows
/// it, signed as Standard Webhooks says with every secret that signs now.
/// </summary>
public sealed class WebhookReceivers(IGrainFactory grains, IWebhookPayloadWriter payloads) : IDeliveryReceivers
{
    public string IdPrefix => WebhookEndpoint.IdPrefix;

    public string Kind => "webhook";

    public async Task<IDeliveryTarget?> FindAsync(string tenant, string id) =>
        await grains.GetGrain<IWebhookEndpointsGrain>(tenant).TargetAsync(id) is var (endpoint, secrets)
            ? new Target(endpoint, secrets, payloads)
            : null;

    public Task SetFailingAsync(string tenant, string id, DateTimeOffset? since) =>
        grains.GetGrain<IWebhookEndpointsGrain>(tenant).SetFailingAsync(id, since);

    private sealed class Target(WebhookEndpoint endpoint, ImmutableArray<string> secrets, IWebhookPayloadWriter payloads) : IDeliveryTarget
    {
        public bool Enabled => endpoint.Enabled;

        public EventPosition? DeliversAfter => null;

        public DateTimeOffset? FailingSince => endpoint.FailingSince;

        public bool Wants(SessionEvent sessionEvent) => endpoint.Wants(sessionEvent.Type);

        public Task<HttpRequestMessage> CreateRequestAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            var body = payloads.Write(sessionEvent);

            // Real time, not session time (which tests move): receivers check the timestamp against their own clock.
            var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("webhook-id", sessionEvent.Id);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", WebhookSignature.Sign(secrets, sessionEvent.Id, timestamp, body));
            return Task.FromResult(request);
        }
    }
}
