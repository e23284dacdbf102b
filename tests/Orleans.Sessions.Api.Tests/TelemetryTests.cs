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

        var request = await EventuallyAsync(() => factory.Spans.FirstOrDefault(s =>
            s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == api.Sessions && s.GetTagItem("http.request.method") as string == "POST"));
        var grainCalls = await EventuallyAsync(() =>
        {
            var calls = factory.Spans.Where(s => s.TraceId == request.TraceId && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)).ToList();
            return calls.Count > 0 ? calls : null;
        });
        Assert.Contains(grainCalls, s => s.DisplayName.Contains("SignOn", StringComparison.Ordinal));

        var token = body.Str("token");
        var trace = factory.Spans.Where(s => s.TraceId == request.TraceId).ToList();
        Assert.DoesNotContain(trace, s => s.TagObjects.Any(t => t.Value?.ToString() is { } v && (v.Contains(token, StringComparison.Ordinal) || v.Contains(SessionsApiFactory.BootstrapKey, StringComparison.Ordinal))));
    }

    [Fact]
    public async Task Health_checks_are_not_traced()
    {
        using var response = await factory.CreateAnonymousClient().GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.DoesNotContain(factory.Spans, s => s.GetTagItem("url.path") as string == "/healthz");
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

    private static async Task<T> EventuallyAsync<T>(Func<T?> find)
        where T : class
    {
        for (var i = 0; i < 100; i++)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new Xunit.Sdk.XunitException("not seen within 2 s");
    }
}
