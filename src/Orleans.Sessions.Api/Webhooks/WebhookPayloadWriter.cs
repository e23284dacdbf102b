using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Events;
using Orleans.Sessions.Events;
using Orleans.Sessions.Webhooks;

namespace Orleans.Sessions.Api.Webhooks;

/// <summary>A delivery's body: the event exactly as the feed shows it, in the API's JSON.</summary>
public sealed class WebhookPayloadWriter(IOptions<JsonOptions> json) : IWebhookPayloadWriter
{
    public byte[] Write(SessionEvent sessionEvent) =>
        JsonSerializer.SerializeToUtf8Bytes(EventsApi.ToResponse(sessionEvent), json.Value.SerializerOptions);
}
