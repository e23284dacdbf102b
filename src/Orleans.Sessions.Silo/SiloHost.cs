using Orleans.Sessions.Hosting;

namespace Orleans.Sessions.Silo;

/// <summary>The silo of a single node: localhost clustering on the configured ports and the sessions grains.</summary>
public static class SiloHost
{
    public static WebApplicationBuilder AddSessionsSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var orleans = configuration.GetSection("Orleans");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(
                siloPort: orleans.GetValue("SiloPort", 11111),
                gatewayPort: orleans.GetValue("GatewayPort", 30000),
                serviceId: orleans["ServiceId"] ?? "orleans-sessions",
                clusterId: orleans["ClusterId"] ?? "dev");
            silo.AddSessions(configuration);
        });
        return builder;
    }
}
