using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Webhooks;
using Polly;

namespace Orleans.Sessions.Deliveries;

/// <summary>
/// The HTTP client every delivery uses — webhooks, logout tokens — (docs/webhooks.md, "Delivery"): through <see cref="IHttpClientFactory"/>, a timeout of
/// <see cref="WebhooksOptions.Timeout"/> from <c>Microsoft.Extensions.Http.Resilience</c> and no retries of its own (the
/// delivery grain retries, with backoff and a dead letter), no redirects, and a connection that refuses private
/// networks (<see cref="PrivateNetworks"/>) unless allowed — checked on the addresses actually connected to.
/// </summary>
public static class DeliveryHttp
{
    public static IServiceCollection AddDeliveryHttp(this IServiceCollection services)
    {
        services.AddHttpClient(EventDeliveryGrain.HttpClientName)
            .RemoveAllLoggers() // Four lines per delivery cost more than the delivery; the delivery log and metrics say what matters.
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowPrivate = sp.GetRequiredService<IOptions<WebhooksOptions>>().Value.AllowPrivateNetworks;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, cancellationToken) => ConnectAsync(context, allowPrivate, cancellationToken),
                };
            })
            .AddResilienceHandler("delivery-timeout", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhooksOptions>>().Value.Timeout));
        return services;
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, bool allowPrivate, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await PrivateNetworks.ResolveAsync(host, cancellationToken);
        if (!allowPrivate && addresses.Any(PrivateNetworks.IsPrivate))
        {
            throw new HttpRequestException($"{host} resolves to a loopback, link-local or private address: refused (Sessions:Webhooks:AllowPrivateNetworks).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
