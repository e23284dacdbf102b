using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.Sessions.Hosting.Health;

/// <summary>
/// The probes (docs/operations.md, "Health"): <c>/health/live</c> answers while the process serves HTTP and runs no
/// check; <c>/health/ready</c> (and its older name <c>/healthz</c>) runs every check tagged <see cref="Ready"/> — the
/// host's place in its cluster and its storage. Anonymous, exempt from rate limits, not traced; 200 when healthy or
/// degraded, 503 when not, with a JSON body naming each check.
/// </summary>
public static class SessionsHealth
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>Kept for probes written before <see cref="ReadyPath"/>: the same checks.</summary>
    public const string LegacyReadyPath = "/healthz";

    /// <summary>The tag of the checks readiness runs.</summary>
    public const string Ready = "ready";

    /// <summary>How long a storage check may take before it counts as failed: <c>Sessions:Health:StorageTimeout</c>.</summary>
    public static readonly TimeSpan DefaultStorageTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The paths telemetry leaves out: probes every few seconds are noise, not traffic.</summary>
    public static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(LegacyReadyPath, StringComparison.Ordinal);

    /// <summary>The bound on a storage check, from <c>Sessions:Health:StorageTimeout</c>.</summary>
    public static TimeSpan StorageTimeout(IConfiguration configuration)
    {
        var timeout = configuration.GetValue("Sessions:Health:StorageTimeout", DefaultStorageTimeout);
        return timeout > TimeSpan.Zero ? timeout : throw new InvalidOperationException($"Sessions:Health:StorageTimeout must be positive; it is {timeout}.");
    }

    public static IEndpointRouteBuilder MapSessionsHealth(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, LivePath, _ => false);
        Map(endpoints, ReadyPath, check => check.Tags.Contains(Ready));
        Map(endpoints, LegacyReadyPath, check => check.Tags.Contains(Ready));
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string path, Func<HealthCheckRegistration, bool> predicate) =>
        endpoints.MapHealthChecks(path, new HealthCheckOptions { Predicate = predicate, ResponseWriter = WriteAsync })
            .AllowAnonymous()
            .DisableRateLimiting()
            .ExcludeFromDescription();

    /// <summary>
    /// The report as JSON: <c>status</c>, <c>totalDuration</c> and one entry per check with its <c>status</c>,
    /// <c>description</c>, <c>duration</c> and <c>tags</c> — the shape health dashboards read. No exception text: the
    /// probes are anonymous, the details go to the log.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteString("totalDuration", report.TotalDuration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartObject("entries");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            if (entry.Description is { } description)
            {
                json.WriteString("description", description);
            }

            json.WriteString("duration", entry.Duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartArray("tags");
            foreach (var tag in entry.Tags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
