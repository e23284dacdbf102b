using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The cluster a deployment file describes, run as processes on this machine with that file's environment: the schema
/// migration, a silo and a gateway, and what proves each read its settings — the schema recorded, the silo active in
/// the membership table of its cluster id on its ports, a sign-on through the gateway stored under the service id.
/// </summary>
internal static class ContainerRuns
{
    private const int SiloStatusActive = 3;

    /// <summary>
    /// A port, or an address ending in one, moved from <paramref name="containerPort"/> (what the deployment file expects)
    /// to <paramref name="port"/>: processes on one machine cannot all listen on the container's ports.
    /// </summary>
    public static string MovePort(string value, int containerPort, int port)
    {
        var (from, to) = (containerPort.ToString(CultureInfo.InvariantCulture), port.ToString(CultureInfo.InvariantCulture));
        if (value == from)
        {
            return to;
        }

        Assert.EndsWith($":{from}", value, StringComparison.Ordinal);
        return value[..^from.Length] + to;
    }

    public static async Task MigrateAsync(PostgresDatabase database, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var (exitCode, output) = await HostProcess.RunAsContainerAsync(HostProcess.SiloAssembly, arguments, environment, ct);

        Assert.True(exitCode == 0, $"migrate exited with {exitCode}:\n{output}");
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM sessions_schema_migrations") > 0, "migrate recorded no script");
    }

    /// <summary>Starts the silo and waits until it is active in <paramref name="clusterId"/>'s membership on exactly its given ports.</summary>
    public static async Task<HostProcess> StartSiloAsync(
        PostgresDatabase database, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, int httpPort, int siloPort, int gatewayPort, string clusterId, CancellationToken ct)
    {
        var silo = await HostProcess.StartAsContainerAsync(HostProcess.SiloAssembly, "silo", arguments, environment, httpPort, siloPort, ct);
        try
        {
            await HostProcess.WaitShowingOutputAsync($"the silo active in cluster {clusterId} on ports {siloPort}/{gatewayPort}", async () =>
                await database.ScalarAsync<long>(
                    "SELECT count(*) FROM orleans_membership WHERE deploymentid = $1 AND port = $2 AND proxyport = $3 AND status = $4",
                    clusterId, siloPort, gatewayPort, SiloStatusActive) == 1,
                TimeSpan.FromSeconds(60), silo);
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    /// <summary>A sign-on through <paramref name="host"/> with the bootstrap key is stored under <paramref name="serviceId"/>.</summary>
    public static async Task SignOnIsStoredAsync(HostProcess host, PostgresDatabase database, string serviceId, CancellationToken ct)
    {
        using var client = host.CreateClient();
        HttpResponseMessage? response = null;
        // The gateway serves HTTP before its first refresh of the silos' gateway list may have found the silo.
        await HostProcess.WaitShowingOutputAsync($"a sign-on through {host.Name}", async () =>
        {
            response?.Dispose();
            response = await client.PostAsJsonAsync("/v1/tenants/acme/users/deployed/sessions", new { ip = "203.0.113.9", userAgent = "curl/8.5.0", authMethod = "password" }, ct);
            return response.StatusCode != HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(60), host);

        using (response)
        {
            Assert.Equal(HttpStatusCode.Created, response!.StatusCode);
        }

        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM sessions_grain_state WHERE serviceid = $1", serviceId) > 0, $"nothing stored under service id {serviceId}");
    }
}
