using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Sessions.Devices.Places;
using Orleans.Sessions.Devices.UserAgents;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.MonoCloud;
using Orleans.Sessions.Api.PingOne;
using Orleans.Sessions.Api.RocketChat;
using Orleans.Sessions.Api.Symphony;
using Orleans.Sessions.Api.Telemetry;
using Orleans.Sessions.Api.WorkOs;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api;

/// <summary>
/// Everything the HTTP API needs, shared by the silo (co-hosted) and the standalone gateway so both
/// serve the same code.
/// </summary>
public static class SessionsApiExtensions
{
    /// <summary>The largest request body accepted (docs/api.md, "Limits").</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>The most header bytes a request may carry (431 above): room for every credential style, no more.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    public const int MaxRequestHeaderCount = 64;

    public const int MaxRequestLineBytes = 8 * 1024;

    /// <summary>A GeoIP2 / GeoLite2 City database; without it locations carry only their IP (docs/devices-and-places.md).</summary>
    public const string GeoIpDatabasePathKey = "Sessions:GeoIp:DatabasePath";

    public static IServiceCollection AddSessionsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SessionsAuthOptions>(configuration.GetSection(SessionsAuthOptions.SectionName));
        services.Configure<SessionsTenancyOptions>(configuration.GetSection("Sessions"));
        services.Configure<SessionsRateLimitOptions>(configuration.GetSection(SessionsRateLimitOptions.SectionName));
        services.Configure<DirectoryApiOptions>(o => o.Shards = configuration.GetValue("Sessions:DirectoryShards", o.Shards));
        services.TryAddKeyedSingleton(SessionsClock.Key, TimeProvider.System);
        services.AddSessionsAuthorization();
        services.AddSessionsRateLimiting();
        services.AddSingleton<SessionsAudit>();
        services.AddSingleton<SessionLocator>();
        services.AddSessionsOpenApi();
        services.AddSessionsTelemetry(configuration);
        // Before AddProblemDetails: the first writer that can write a problem writes it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, SurfaceProblemDetailsWriter>());
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            // Bodies over the limit can be refused inside the framework's own body reading (chunked
            // requests), which leaves only a bare status: give it the same problem as everywhere else.
            if (context.ProblemDetails.Status == StatusCodes.Status413PayloadTooLarge && context.ProblemDetails.Type?.StartsWith(ApiProblems.TypePrefix, StringComparison.Ordinal) != true)
            {
                context.ProblemDetails.Type = ApiProblems.BodyTooLargeType;
                context.ProblemDetails.Title = "Request body too large";
                context.ProblemDetails.Detail = "The request body exceeds the limit of 64 KiB.";
            }

            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.TryAddSingleton(_ => new UserAgentParser());
        services.TryAddSingleton<IDeviceResolver, ParsingDeviceResolver>();
        if (configuration[GeoIpDatabasePathKey] is { Length: > 0 } geoIpPath)
        {
            // Opened once, memory-mapped, reloaded when the file is replaced; a missing file is logged and waited for.
            services.TryAddSingleton(provider => new GeoIpDatabase(geoIpPath, provider.GetRequiredService<ILogger<GeoIpDatabase>>()));
            services.TryAddSingleton<ILocationResolver, GeoIpLocationResolver>();
        }
        else
        {
            services.TryAddSingleton<ILocationResolver, IpOnlyLocationResolver>();
        }
        return services;
    }

    /// <summary>
    /// What every host of the API sets up the same way: the settings files of silo-config/, the request body
    /// limit, the API's services and health checks.
    /// </summary>
    public static WebApplicationBuilder AddSessionsHttpHost(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddSettingsFiles(builder.Environment);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes;
            kestrel.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineBytes;
        });
        builder.Services.AddSessionsApi(builder.Configuration);
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>The request pipeline, every API surface and <c>/healthz</c>.</summary>
    public static WebApplication UseSessionsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestBodyLimitMiddleware>(MaxRequestBodyBytes);
        app.UseRouting(); // Authentication reads the endpoint's surface for its credential headers.
        app.UseAuthentication();
        app.UseRateLimiter(); // After authentication: limits count per credential.
        app.UseAuthorization();
        app.MapUserSessionsApi();
        app.MapMeApi();
        app.MapDirectoryApi();
        app.MapSymphonyApi();
        app.MapPingOneApi();
        app.MapWorkOsApi();
        app.MapRocketChatApi();
        app.MapMonoCloudApi();
        app.MapHealthChecks("/healthz").DisableRateLimiting();
        app.MapSessionsOpenApi();
        return app;
    }
}
