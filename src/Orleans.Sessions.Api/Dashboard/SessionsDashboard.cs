using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Orleans.Dashboard;

namespace Orleans.Sessions.Api.Dashboard;

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> on every host (docs/operations.md, "Dashboard"), for operators only: a key
/// holding <c>sessions:admin</c> on every tenant, entered once on <c>/dashboard/login</c> and then carried by a cookie
/// (<see cref="DashboardAccess"/>). On unless <c>Sessions:Dashboard:Enabled=false</c>; the silos and the gateways of a
/// cluster must agree, since a gateway's dashboard asks the silos' dashboard grains.
/// </summary>
public static class SessionsDashboard
{
    public const string Path = "/dashboard";
    public const string SectionName = "Sessions:Dashboard";

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue($"{SectionName}:Enabled", true);

    /// <summary>
    /// The dashboard's own options from <c>Sessions:Dashboard</c> (<c>CounterUpdateIntervalMs</c>, <c>HistoryLength</c>,
    /// <c>HideTrace</c>). The live log stream is hidden unless <c>HideTrace=false</c>: the logs have their own pipeline.
    /// </summary>
    public static void Configure(DashboardOptions options, IConfiguration configuration)
    {
        options.HideTrace = true;
        configuration.GetSection(SectionName).Bind(options);
    }

    /// <summary>Maps the dashboard (behind <see cref="UseSessionsDashboardAccess"/>), and its sign-in and sign-out pages.</summary>
    public static IEndpointRouteBuilder MapSessionsDashboard(this IEndpointRouteBuilder endpoints, IConfiguration configuration)
    {
        if (!Enabled(configuration))
        {
            return endpoints;
        }

        endpoints.MapGet(DashboardAccess.LoginPath, DashboardAccess.LoginPage).ExcludeFromDescription();
        endpoints.MapPost(DashboardAccess.LoginPath, DashboardAccess.LoginAsync).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapPost(DashboardAccess.LogoutPath, DashboardAccess.Logout).ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapOrleansDashboard(Path).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The gate in front of the dashboard's paths (<see cref="DashboardAccess"/>), after authentication.</summary>
    public static IApplicationBuilder UseSessionsDashboardAccess(this IApplicationBuilder app, IConfiguration configuration) =>
        Enabled(configuration)
            ? app.UseWhen(context => DashboardAccess.Guards(context.Request.Path), gated => gated.UseMiddleware<DashboardAccess>())
            : app;
}
