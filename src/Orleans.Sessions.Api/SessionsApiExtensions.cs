using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Devices.Places;
using Orleans.Sessions.Devices.UserAgents;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Dashboard;
using Orleans.Sessions.Api.Events;
using Orleans.Sessions.Api.Backchannel;
using Orleans.Sessions.Api.Jobs;
using Orleans.Sessions.Api.Keys;
using Orleans.Sessions.Api.SharedSignals;
using Orleans.Sessions.Api.Webhooks;
using Orleans.Sessions.Webhooks;
using Orleans.Sessions.Api.Canonical;
using Orleans.Sessions.Api.Console;
using Orleans.Sessions.Api.MonoCloud;
using Orleans.Sessions.Api.PingOne;
using Orleans.Sessions.Api.Policy;
using Orleans.Sessions.Api.RocketChat;
using Orleans.Sessions.Api.Symphony;
using Orleans.Sessions.Api.Telemetry;
using Orleans.Sessions.Api.WorkOs;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.SharedSignals;
using Orleans.Sessions.Hosting.Health;

namespace Orleans.Sessions.Api;

/// <summary>
/// Everything the HTTP API needs, shared by the silo (co-hosted) and the standalone gateway so both
/// serve the same code.
/// </summary>
public static class SessionsApiExtensions
{
    /// <summary>The largest request body accepted (docs/api.md, "Limits"), on every server (<see cref="RequestBodyLimitMiddleware"/>).</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>A GeoIP2 / GeoLite2 City database; without it locations carry only their IP (docs/devices-and-places.md).</summary>
    public const string GeoIpDatabasePathKey = "Sessions:GeoIp:DatabasePath";

    /// <summary>A GeoLite2 / GeoIP2 ASN database: each location's network number and organization.</summary>
    public const string AsnDatabasePathKey = "Sessions:GeoIp:AsnDatabasePath";

    /// <summary>A GeoIP2 Anonymous IP database: whether a location's network is an anonymizer or a hosting provider.</summary>
    public const string AnonymousIpDatabasePathKey = "Sessions:GeoIp:AnonymousIpDatabasePath";

    public static IServiceCollection AddSessionsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SessionsAuthOptions>(configuration.GetSection(SessionsAuthOptions.SectionName));
        services.Configure<SessionsTenancyOptions>(configuration.GetSection("Sessions"));
        services.Configure<SessionsRateLimitOptions>(configuration.GetSection(SessionsRateLimitOptions.SectionName));
        services.AddOptions<PublicUrlOptions>().Bind(configuration.GetSection("Sessions"))
            .Validate(o => o.IsValid(), "Sessions:PublicUrl must be an absolute http or https URL without credentials, query or fragment.").ValidateOnStart();
        services.TryAddKeyedSingleton(SessionsClock.Key, TimeProvider.System);
        services.AddSessionsAuthorization();
        services.AddSessionsRateLimiting();
        services.AddOptions<OverloadOptions>().Bind(configuration.GetSection(OverloadOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OverloadOptions>, OverloadOptionsValidator>());
        services.AddOptions<SsfPollOptions>().Bind(configuration.GetSection(SsfPollOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SsfPollOptions>, SsfPollOptionsValidator>());
        services.TryAddSingleton<WaitingPolls>();
        services.AddSingleton<SessionsAudit>();
        services.AddSessionsOpenApi();
        services.AddMetrics();
        services.TryAddSingleton<SessionsMetrics>();
        // Before AddProblemDetails: the first writer that can write a problem writes it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, SurfaceProblemDetailsWriter>());
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier));
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.TryAddSingleton(_ => new UserAgentParser());
        services.TryAddSingleton<IDeviceResolver, ParsingDeviceResolver>();
        services.TryAddSingleton<IWebhookPayloadWriter, WebhookPayloadWriter>();
        services.AddLocationResolver(configuration);
        services.AddSessionsConsole(configuration);
        return services;
    }

    /// <summary>
    /// Places from the MaxMind databases the settings name, each opened once, memory-mapped, reloaded when its file is
    /// replaced (a missing file is logged and waited for); with none, locations carry only their IP.
    /// </summary>
    private static void AddLocationResolver(this IServiceCollection services, IConfiguration configuration)
    {
        var cities = configuration[GeoIpDatabasePathKey] is { Length: > 0 } cityPath ? cityPath : null;
        var networks = configuration[AsnDatabasePathKey] is { Length: > 0 } asnPath ? asnPath : null;
        var anonymizers = configuration[AnonymousIpDatabasePathKey] is { Length: > 0 } anonymousPath ? anonymousPath : null;
        if (cities is null && networks is null && anonymizers is null)
        {
            services.TryAddSingleton<ILocationResolver, IpOnlyLocationResolver>();
            return;
        }

        if (cities is not null)
        {
            services.TryAddSingleton(provider => new GeoIpDatabase(cities, provider.GetRequiredService<ILogger<GeoIpDatabase>>()));
        }

        if (networks is not null)
        {
            services.TryAddSingleton(provider => new AsnDatabase(networks, provider.GetRequiredService<ILogger<AsnDatabase>>()));
        }

        if (anonymizers is not null)
        {
            services.TryAddSingleton(provider => new AnonymousIpDatabase(anonymizers, provider.GetRequiredService<ILogger<AnonymousIpDatabase>>()));
        }

        services.TryAddSingleton<ILocationResolver>(provider => new GeoIpLocationResolver(
            provider.GetService<GeoIpDatabase>(), provider.GetService<AsnDatabase>(), provider.GetService<AnonymousIpDatabase>()));
    }

    /// <summary>
    /// What every host of the API sets up the same way: the host defaults (settings files, cluster profile,
    /// health checks, telemetry), Kestrel's limits and the API's services.
    /// </summary>
    /// <returns>The cluster profile the configuration describes.</returns>
    public static ClusterProfile AddSessionsHttpHost(this WebApplicationBuilder builder)
    {
        var profile = builder.AddSessionsHostDefaults();
        builder.WebHost.UseSessionsKestrelLimits();
        builder.Services.AddSessionsApi(builder.Configuration);
        return profile;
    }

    /// <summary>The request pipeline, every API surface, the health probes, the Prometheus scrape and the dashboard.</summary>
    public static WebApplication UseSessionsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRouting(); // Authentication reads the endpoint's surface for its credential headers.
        app.UseMiddleware<RequestBodyLimitMiddleware>(MaxRequestBodyBytes); // After routing: a refusal is in the surface's shape.
        app.UseMiddleware<OverloadLimitMiddleware>(); // Before any work on the request: a refusal costs next to nothing.
        app.UseAuthentication();
        app.UseMiddleware<TenantLogScope>(); // Everything the request logs from here on names its tenant.
        app.UseRateLimiter(); // After authentication: limits count per credential.
        app.UseAuthorization();
        app.UseSessionsDashboardAccess(app.Configuration);
        app.MapUserSessionsApi();
        app.MapMeApi();
        app.MapDirectoryApi();
        app.MapEventsApi();
        app.MapWebhooksApi();
        app.MapKeysApi();
        app.MapClientsApi();
        app.MapPolicyApi();
        app.MapAuditApi();
        app.MapJobsApi();
        app.MapSsfApi();
        app.MapSymphonyApi();
        app.MapPingOneApi();
        app.MapWorkOsApi();
        app.MapRocketChatApi();
        app.MapMonoCloudApi();
        app.MapSessionsHealth();
        app.MapSessionsMetrics(app.Configuration);
        app.MapSessionsDashboard(app.Configuration);
        app.MapSessionsOpenApi();
        app.MapSessionsConsole();
        return app;
    }
}
