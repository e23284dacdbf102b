using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Sessions.Hosting;
using Orleans.Sessions.Silo;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>
/// What a silo with <c>Orleans:Kubernetes=true</c> takes from its pod (docs/operations.md, "Kubernetes"): its name and
/// advertised address from the downward API's variables, every interface to listen on, the profile's ports, and the
/// profile's cluster identity even where Orleans' own variables name another (gateways read only the profile).
/// The host is built, never started: Kubernetes' API is not reached.
/// </summary>
public sealed class KubernetesHostingTests : IDisposable
{
    // Read only by Orleans' Kubernetes hosting, which no other test turns on: setting them here affects no other test.
    private static readonly Dictionary<string, string> PodVariables = new()
    {
        ["POD_NAME"] = "orleans-sessions-silo-7d9f-x2k4q",
        ["POD_NAMESPACE"] = "orleans-sessions",
        ["POD_IP"] = "10.244.1.17",
        ["ORLEANS_CLUSTER_ID"] = "not-the-profiles-cluster",
        ["ORLEANS_SERVICE_ID"] = "not-the-profiles-service",
    };

    public KubernetesHostingTests()
    {
        foreach (var (name, value) in PodVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var name in PodVariables.Keys)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public async Task The_pod_names_the_silo_and_the_profile_names_its_cluster_and_ports()
    {
        await using var app = BuildSilo(("Orleans:Kubernetes", "true"));

        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Parse(PodVariables["POD_IP"]), endpoints.AdvertisedIPAddress);
        Assert.Equal((21111, 32000), (endpoints.SiloPort, endpoints.GatewayPort));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 21111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 32000), endpoints.GatewayListeningEndpoint);
        Assert.Equal(PodVariables["POD_NAME"], app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
        var cluster = app.Services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        Assert.Equal(("k8s-cluster", "k8s-service"), (cluster.ClusterId, cluster.ServiceId));
    }

    [Fact]
    public async Task An_advertised_address_in_the_settings_wins_over_the_pods()
    {
        await using var app = BuildSilo(("Orleans:Kubernetes", "true"), ("Orleans:AdvertisedIPAddress", "10.0.0.5"));

        Assert.Equal(IPAddress.Parse("10.0.0.5"), app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.AdvertisedIPAddress);
    }

    [Fact]
    public async Task Without_the_switch_the_pod_variables_are_ignored()
    {
        await using var app = BuildSilo(("Orleans:AdvertisedIPAddress", "127.0.0.1"));

        var endpoints = app.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        Assert.Null(endpoints.SiloListeningEndpoint);
        Assert.NotEqual(PodVariables["POD_NAME"], app.Services.GetRequiredService<IOptions<SiloOptions>>().Value.SiloName);
    }

    private static WebApplication BuildSilo(params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sessions:Storage"] = "Postgres",
            ["ConnectionStrings:Postgres"] = "Host=db;Username=sessions;Password=secret;Database=sessions",
            ["Orleans:ClusterId"] = "k8s-cluster",
            ["Orleans:ServiceId"] = "k8s-service",
            ["Orleans:SiloPort"] = "21111",
            ["Orleans:GatewayPort"] = "32000",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddSessionsSilo(ClusterProfile.From(builder.Configuration));
        return builder.Build();
    }
}
