using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Sessions.Storage.Postgres;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// Readiness on a cluster (docs/operations.md, "Health"): a silo and a gateway on a PostgreSQL of the test's own are
/// ready (and the gateway's dashboard shows the silos' grains); with the server stopped both say which check fails
/// while liveness still answers; with it started again both are ready again by themselves; and a gateway whose silo
/// is gone is not ready.
/// </summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private readonly List<HostProcess> _hosts = [];

    public async ValueTask InitializeAsync()
    {
        await _postgres.InitializeAsync();
        await PostgresSchema.MigrateAsync(_postgres.ConnectionString, NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Ready_fails_while_PostgreSQL_is_stopped_and_recovers_by_itself_when_it_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Postgres"] = _postgres.ConnectionString,
            ["Orleans:ClusterId"] = "readiness-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:AdvertisedIPAddress"] = "127.0.0.1",
            ["Sessions:Postgres:MaxPoolSize"] = "5",
        };
        var silo = await StartAsync(HostProcess.StartSiloAsync(settings, "Cluster", ct));
        var gateway = await StartAsync(HostProcess.StartGatewayAsync(settings, "Cluster", ct));

        await AssertReadyAsync(silo, ["cluster", "storage"]);
        await AssertReadyAsync(gateway, ["cluster", "membership"]);
        await AssertDashboardShowsGrainsAsync(gateway);

        await _postgres.StopAsync();
        var stopped = Stopwatch.StartNew();
        await WaitForCheckAsync(silo, "storage", ready: false);
        var siloRed = stopped.Elapsed;
        await WaitForCheckAsync(gateway, "membership", ready: false);
        var gatewayRed = stopped.Elapsed;
        foreach (var host in _hosts)
        {
            using var live = await Get(host, "/health/live");
            Assert.Equal(HttpStatusCode.OK, live.Status);
        }

        await _postgres.StartAsync();
        var started = Stopwatch.StartNew();
        await WaitForCheckAsync(silo, "storage", ready: true);
        var siloGreen = started.Elapsed;
        await WaitForCheckAsync(gateway, "membership", ready: true);
        var gatewayGreen = started.Elapsed;
        using (var client = silo.CreateClient())
        {
            using var signOn = await client.PostAsync(
                "/v1/tenants/acme/users/after-restart/sessions", JsonContent("""{"ip":"203.0.113.9","userAgent":"readiness-test","authMethod":"password"}"""), ct);
            Assert.True(signOn.StatusCode == HttpStatusCode.Created, await signOn.Content.ReadAsStringAsync(ct));

            // PostgreSQL's commits are measured like SQLite's (group commits).
            var scrape = await client.GetStringAsync("/metrics", ct);
            Assert.Contains(scrape.Split('\n'), line =>
                line.StartsWith("sessions_storage_commit_writes_count{", StringComparison.Ordinal)
                && line.Contains("storage=\"postgres\"", StringComparison.Ordinal)
                && double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 1);
        }

        silo.Kill();
        await WaitForCheckAsync(gateway, "cluster", ready: false);

        TestContext.Current.TestOutputHelper!.WriteLine(
            $"PostgreSQL stopped: silo not ready after {siloRed.TotalSeconds:F2} s, gateway after {gatewayRed.TotalSeconds:F2} s; "
            + $"started again: silo ready after {siloGreen.TotalSeconds:F2} s, gateway after {gatewayGreen.TotalSeconds:F2} s");
    }

    /// <summary>The gateway's dashboard asks the silos' dashboard grains: an operator sees the cluster's grain types through it.</summary>
    private static async Task AssertDashboardShowsGrainsAsync(HostProcess gateway)
    {
        using var client = gateway.CreateClient(); // The bootstrap key holds every role on every tenant.
        using (var signOn = await client.PostAsync(
            "/v1/tenants/acme/users/dashboard-user/sessions", JsonContent("""{"ip":"203.0.113.9","userAgent":"readiness-test","authMethod":"password"}"""), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Created, signOn.StatusCode);
        }

        await HostProcess.WaitShowingOutputAsync("the gateway's dashboard to list the user sessions grain", async () =>
        {
            using var counters = await client.GetAsync("/dashboard/DashboardCounters", TestContext.Current.CancellationToken);
            return counters.StatusCode == HttpStatusCode.OK
                && (await counters.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Contains("UserSessionsGrain", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), gateway);
    }

    private async Task<HostProcess> StartAsync(Task<HostProcess> starting)
    {
        var host = await starting;
        _hosts.Add(host);
        return host;
    }

    private static async Task AssertReadyAsync(HostProcess host, string[] checks)
    {
        foreach (var path in new[] { "/health/ready", "/healthz" })
        {
            using var ready = await Get(host, path);
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal("Healthy", ready.Body.RootElement.GetProperty("status").GetString());
            var entries = ready.Body.RootElement.GetProperty("entries");
            Assert.Equal(checks.Order(), entries.EnumerateObject().Select(e => e.Name).Order());
            Assert.All(checks, check => Assert.Equal("Healthy", entries.GetProperty(check).GetProperty("status").GetString()));
        }
    }

    /// <summary>Waits until <paramref name="check"/> is healthy (and the host ready) or unhealthy (and the host not ready).</summary>
    private static Task WaitForCheckAsync(HostProcess host, string check, bool ready) =>
        HostProcess.WaitShowingOutputAsync($"{host.Name}'s readiness check '{check}' to be {(ready ? "healthy" : "unhealthy")}", async () =>
        {
            using var answer = await Get(host, "/health/ready");
            var status = answer.Body.RootElement.GetProperty("entries").GetProperty(check).GetProperty("status").GetString();
            return ready
                ? answer.Status == HttpStatusCode.OK && status == "Healthy"
                : answer.Status == HttpStatusCode.ServiceUnavailable && status == "Unhealthy";
        }, TimeSpan.FromSeconds(60), host);

    private static async Task<Answer> Get(HostProcess host, string path)
    {
        using var client = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, JsonDocument.Parse(body.Length == 0 ? "{}" : body));
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private sealed record Answer(HttpStatusCode Status, JsonDocument Body) : IDisposable
    {
        public void Dispose() => Body.Dispose();
    }
}
