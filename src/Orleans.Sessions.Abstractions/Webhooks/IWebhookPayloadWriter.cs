using Orleans.Sessions.Events;

namespace Orleans.Sessions.Webhooks;

/// <summary>
/// The body of a webhook delivery: the event as the API's feed shows it (the canonical session in <c>data</c>). The HTTP
/// layer, which owns that shape, provides it; silos always host the API.
/// </summary>
public interface IWebhookPayloadWriter
{
    byte[] Write(SessionEvent sessionEvent);
}
