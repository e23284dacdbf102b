using System.Net;
using Orleans.Sessions.Api.Tests.Hosting;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Webhooks;

/// <summary>
/// The delivery gauges (docs/operations.md, "Metrics"): a receiver that refuses holds its events, which the backlog
/// gauge counts and the lag gauge dates. In the metrics collection, which runs alone: a host's exporter also reads the
/// same-named instruments of every other host in the process and loses series when one of them stops (a CI run
/// read another host's gauges here while the webhook classes ran side by side).
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed class DeliveryGaugeTests(WebhookApiFactory factory) : IClassFixture<WebhookApiFactory>
{
    [Fact]
    public async Task The_backlog_gauge_counts_a_refusing_receivers_held_events_and_the_lag_gauge_their_age()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failing: true);
        var api = new ApiClient(factory.CreateClient());
        await WebhookSetup.SubscribeAsync(api, receiver);
        for (var i = 0; i < 4; i++)
        {
            var session = (await api.SignOnAsync()).Str("id");
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"{api.Sessions}/{session}/revoke", new { reason = "gauge" })).Status);
        }

        await WaitForAsync("the receiver to refuse a few times", () => receiver.Lines.Count(l => l.Str("kind") == "refused") >= 3, TimeSpan.FromSeconds(20));

        // A retry's round reports what it has read once it ends. Ten minutes on, the oldest held event is that old.
        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        await WaitForAsync("the backlog gauge to count the eight held events, and the lag gauge their age", async () =>
        {
            var metrics = await factory.CreateClient().GetStringAsync("/metrics", TestContext.Current.CancellationToken);
            return Gauge(metrics, "sessions_delivery_backlog") >= 8 && Gauge(metrics, "sessions_delivery_lag_seconds") >= 600;
        }, TimeSpan.FromSeconds(10));

        receiver.Failing = false;
        await WaitForAsync("the backlog drained at the recovered receiver", () => receiver.Received.Count >= 8, TimeSpan.FromSeconds(20));
    }

    /// <summary>The sum of a gauge's series in the Prometheus text.</summary>
    private static double Gauge(string metrics, string name) =>
        metrics.Split('\n')
            .Where(line => line.StartsWith(name + " ", StringComparison.Ordinal) || line.StartsWith(name + "{", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
