using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Api.Tests;

/// <summary>OpenTelemetry (docs/operations.md): a request's span and its grain calls in one trace, the service's counters, nothing secret.</summary>
[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(SessionsApiFactory factory)
{
    [Fact]
    public async Task A_sign_on_is_one_trace_from_the_HTTP_request_through_its_grain_call()
    {
        var api = new ApiClient(factory.CreateClient());

        var (status, body) = await api.PostAsync(api.Sessions, ApiClient.SignOnBody());
        Assert.Equal(HttpStatusCode.Created, status);

        var request = await ExportedSpanAsync("the server span of the sign-on", s =>
            s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == api.Sessions && s.GetTagItem("http.request.method") as string == "POST");
        await ExportedSpanAsync("the SignOn grain call in the sign-on's trace", s =>
            s.TraceId == request.TraceId && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("SignOn", StringComparison.Ordinal));

        var token = body.Str("token");
        var trace = factory.Spans.Where(s => s.TraceId == request.TraceId).ToList();
        Assert.DoesNotContain(trace, s => s.TagObjects.Any(t => t.Value?.ToString() is { } v && (v.Contains(token, StringComparison.Ordinal) || v.Contains(SessionsApiFactory.BootstrapKey, StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    public async Task Probes_and_scrapes_are_not_traced(string path)
    {
        var client = factory.CreateAnonymousClient();
        using (var probe = await client.GetAsync(path, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        // Kestrel ends a request (and with it its span) before it reads the next one on the same connection: once the
        // span of a request sent after the probe is exported, a span of the probe would have been too.
        var next = $"/v1/tenants/telemetry/users/{Guid.NewGuid():N}/sessions";
        using (await client.GetAsync(next, TestContext.Current.CancellationToken))
        {
        }

        await ExportedSpanAsync($"the span of the request sent after {path}", s => s.GetTagItem("url.path") as string == next);
        Assert.DoesNotContain(factory.Spans, s => s.GetTagItem("url.path") as string == path);
    }

    [Fact]
    public async Task Sign_ons_revocations_and_refusals_are_counted()
    {
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var hostMeters = factory.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This host's own meter: other hosts of the test run count on meters of their own.
            if (instrument.Meter.Name == "Orleans.Sessions" && instrument.Meter.Scope == hostMeters)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => counted.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.Start();
        var api = new ApiClient(factory.CreateClient());

        var session = await api.SignOnAsync();
        await api.PostAsync($"{api.Sessions}/{session.Str("id")}/revoke", new { reason = "telemetry" });
        using var refused = await factory.CreateAnonymousClient().GetAsync(api.Sessions, TestContext.Current.CancellationToken);

        Assert.True(counted.GetValueOrDefault("sessions.sign_ons") >= 1);
        Assert.True(counted.GetValueOrDefault("sessions.revocations") >= 1);
        Assert.True(counted.GetValueOrDefault("sessions.refusals") >= 1);
    }

    private async Task<Activity> ExportedSpanAsync(string description, Func<Activity, bool> match)
    {
        Activity? found = null;
        await WaitForAsync(description, () => (found = factory.Spans.FirstOrDefault(match)) is not null, TimeSpan.FromSeconds(10));
        return found!;
    }
}
