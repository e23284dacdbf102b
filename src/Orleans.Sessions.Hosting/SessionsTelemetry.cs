using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Sessions.Hosting.Health;

namespace Orleans.Sessions.Hosting;

/// <summary>
/// OpenTelemetry traces and metrics (docs/operations.md, "Telemetry"): HTTP requests, Orleans grain calls (propagated across silos and
/// from gateways), the .NET runtime, and the service's own meter. Exported over OTLP when an endpoint is configured
/// (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or <c>Sessions:Telemetry:OtlpEndpoint</c>). Without an exporter
/// nothing is collected (unless <c>Sessions:Telemetry:Enabled=true</c>): recording spans and histograms nobody reads cost
/// a fifth of the sign-on throughput in the benchmark. <c>Sessions:Telemetry:TraceSampleRatio</c> keeps a fraction of new
/// traces. Health checks are not traced. Nothing recorded carries a credential: no header is captured but a
/// WorkOS caller's own <c>X-Request-ID</c> (a short plain token), and no route or query of the API holds a secret.
/// </summary>
public static class SessionsTelemetry
{
    /// <summary>The name of the service's own meter and activity source.</summary>
    public const string Name = "Orleans.Sessions";
    public const string OtlpEndpointKey = "Sessions:Telemetry:OtlpEndpoint";
    public const string EnabledKey = "Sessions:Telemetry:Enabled";
    public const string SampleRatioKey = "Sessions:Telemetry:TraceSampleRatio";

    public static IServiceCollection AddSessionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 };
        var endpoint = configuration[OtlpEndpointKey];
        if (!configuration.GetValue(EnabledKey, otlp || !string.IsNullOrEmpty(endpoint)))
        {
            return services;
        }

        var ratio = Math.Clamp(configuration.GetValue(SampleRatioKey, 1.0), 0.0, 1.0);
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "orleans-sessions", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics => metrics
                .AddMeter(Name, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)))
                .AddSource(Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !SessionsHealth.IsProbe(context.Request.Path)));

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
}
