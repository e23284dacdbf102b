using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace Orleans.Sessions.Hosting;

/// <summary>
/// What the silo and the gateway set up the same way, before each adds its Orleans side: the settings files of
/// <c>silo-config/</c>, the cluster profile, Kestrel's limits, health checks and OpenTelemetry.
/// </summary>
public static class SessionsHostDefaults
{
    /// <summary>The most header bytes a request may carry (431 above): room for every credential style, no more.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    public const int MaxRequestHeaderCount = 64;

    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>Where HTTP listens when nothing says otherwise.</summary>
    public const string DefaultUrls = "http://localhost:8080";

    /// <returns>The cluster profile the configuration describes, also registered as a singleton.</returns>
    public static ClusterProfile AddSessionsHostDefaults(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddSettingsFiles(builder.Environment);
        if (!ListensWhereConfigured(builder.Configuration))
        {
            builder.Configuration[WebHostDefaults.ServerUrlsKey] = DefaultUrls;
        }

        var profile = ClusterProfile.From(builder.Configuration);
        builder.Services.AddSingleton(profile);
        builder.Services.AddHealthChecks();
        builder.Services.AddSessionsTelemetry(builder.Configuration);
        builder.Services.AddSessionsJsonLogs(builder.Configuration);
        return profile;
    }

    /// <summary>
    /// What <c>Logging:Console:FormatterName=json</c> writes (docs/operations.md, "Logs"): one JSON object a line with a UTC
    /// timestamp and the scopes — the request's trace id and tenant. <c>Logging:Console:FormatterOptions:*</c> still wins.
    /// </summary>
    public static IServiceCollection AddSessionsJsonLogs(this IServiceCollection services, IConfiguration configuration)
    {
        var set = configuration.GetSection("Logging:Console:FormatterOptions");
        return services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.IncludeScopes = set.GetValue(nameof(o.IncludeScopes), true);
            o.UseUtcTimestamp = set.GetValue(nameof(o.UseUtcTimestamp), true);
            o.TimestampFormat = set[nameof(o.TimestampFormat)] ?? "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
    }

    /// <summary>
    /// Whether the configuration names where to listen, in ASP.NET Core's own keys and precedence: <c>--urls</c>,
    /// <c>URLS</c>, <c>ASPNETCORE_URLS</c> (key <c>urls</c>), or ports alone (<c>HTTP_PORTS</c>, <c>HTTPS_PORTS</c>,
    /// <c>ASPNETCORE_HTTP_PORTS</c>…). No settings file of the project sets them, so a container's environment is
    /// honoured; with none of them the host listens on <see cref="DefaultUrls"/>.
    /// </summary>
    public static bool ListensWhereConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey]);

    /// <summary>
    /// Kestrel's limits on what a request may carry. The body limit is not among them: the API enforces it
    /// itself, on every server, with one answer (<c>RequestBodyLimitMiddleware</c>).
    /// </summary>
    public static IWebHostBuilder UseSessionsKestrelLimits(this IWebHostBuilder webHost) =>
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes;
        });

    /// <summary>
    /// Puts <c>appsettings.json</c> and <c>appsettings.{Environment}.json</c> from the binary's directory
    /// first, so environment variables and command-line arguments still override them, whatever the
    /// working directory the host was started from.
    /// </summary>
    public static void AddSettingsFiles(this IConfigurationManager configuration, IHostEnvironment environment)
    {
        var provider = new PhysicalFileProvider(AppContext.BaseDirectory);
        string[] files = ["appsettings.json", $"appsettings.{environment.EnvironmentName}.json"];
        for (var i = 0; i < files.Length; i++)
        {
            configuration.Sources.Insert(i, new JsonConfigurationSource { FileProvider = provider, Path = files[i], Optional = true, ReloadOnChange = false });
        }
    }
}
