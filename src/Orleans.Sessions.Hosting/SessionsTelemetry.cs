using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Sessions.Hosting.Health;

namespace Orleans.Sessions.Hosting;

/// <summary>
/// OpenTelemetry metrics and traces (docs/operations.md, "Telemetry"). Metrics — HTTP, the .NET runtime, Orleans and the
/// service's own meter — are scraped by Prometheus at <c>/metrics</c> (on unless <c>Sessions:Telemetry:Prometheus=false</c>)
/// and exported over OTLP when an endpoint is configured (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or
/// <c>Sessions:Telemetry:OtlpEndpoint</c>). Traces — HTTP requests and the Orleans grain calls they make, across silos
/// and from gateways — are recorded only for an OTLP endpoint (or <c>Sessions:Telemetry:Enabled=true</c>): recording spans
/// nobody reads cost a fifth of the sign-on throughput in the benchmark. <c>Sessions:Telemetry:Enabled=false</c> turns
/// both off. <c>Sessions:Telemetry:TraceSampleRatio</c> keeps a fraction of new traces. Probes and scrapes are not
/// traced. Nothing recorded carries a credential: no header is captured but a WorkOS caller's own <c>X-Request-ID</c>
/// (a short plain token), and no route or query of the API holds a secret.
/// </summary>
public static class SessionsTelemetry
{
    /// <summary>The name of the service's own meter and activity source.</summary>
    public const string Name = SessionsMeter.Name;
    public const string OtlpEndpointKey = "Sessions:Telemetry:OtlpEndpoint";
    public const string EnabledKey = "Sessions:Telemetry:Enabled";
    public const string SampleRatioKey = "Sessions:Telemetry:TraceSampleRatio";
    public const string PrometheusKey = "Sessions:Telemetry:Prometheus";

    /// <summary>Where Prometheus scrapes.</summary>
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddSessionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 };
        var endpoint = configuration[OtlpEndpointKey];
        var enabled = configuration.GetValue<bool?>(EnabledKey);
        var traces = enabled ?? (otlp || !string.IsNullOrEmpty(endpoint));
        var prometheus = PrometheusEnabled(configuration);
        if (!traces && !prometheus)
        {
            return services;
        }

        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "orleans-sessions", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                // ASP.NET Core's hosting and Kestrel meters only (request duration, active requests, connections): its
                // routing, rate-limiting and authentication meters record several measurements a request, which cost
                // throughput (bench/RESULTS.md), and the service's refusals counter already says what they would.
                metrics
                    .AddMeter(Name, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                    .AddRuntimeInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });

        if (traces)
        {
            var ratio = Math.Clamp(configuration.GetValue(SampleRatioKey, 1.0), 0.0, 1.0);
            builder.WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)))
                .AddSource(Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsOperations(context.Request.Path)));
        }

        if (otlp)
        {
            builder.UseOtlpExporter();
        }
        else if (!string.IsNullOrEmpty(endpoint))
        {
            builder.UseOtlpExporter(OpenTelemetry.Exporter.OtlpExportProtocol.Grpc, new Uri(endpoint));
        }

        return services;
    }

    /// <summary>Whether <c>/metrics</c> is served: <c>Sessions:Telemetry:Prometheus</c>, on by default, off with all telemetry.</summary>
    public static bool PrometheusEnabled(IConfiguration configuration) =>
        configuration.GetValue<bool?>(EnabledKey) != false && configuration.GetValue(PrometheusKey, true);

    /// <summary>Maps <c>/metrics</c> when Prometheus is on: no credential (scrape it on a private network), no rate limit, not traced.</summary>
    public static IEndpointRouteBuilder MapSessionsMetrics(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        if (PrometheusEnabled(configuration))
        {
            endpoints.MapPrometheusScrapingEndpoint(MetricsPath)
                .AllowAnonymous()
                .DisableRateLimiting()
                .ExcludeFromDescription();
        }

        return endpoints;
    }

    /// <summary>Probes, scrapes and the dashboard's polling: operations traffic, left out of traces.</summary>
    private static bool IsOperations(PathString path) =>
        SessionsHealth.IsProbe(path) || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal) || path.StartsWithSegments("/dashboard", StringComparison.Ordinal);
}
