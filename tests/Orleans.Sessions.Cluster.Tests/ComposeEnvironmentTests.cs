using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// docker-compose.yml (docs/operations.md, "The cluster in docker-compose.yml"): valid for the Compose specification by
/// its validator (dclint, tests/clients/compose-file.mjs), and its environment is one the hosts follow — run as processes
/// with the environment compose gives each container (the image's ENV from the Dockerfile, then the service's), the
/// migration applies the schema, a silo joins the file's cluster on the ports it names and listens on every interface,
/// and a gateway answers on the port compose publishes and serves through the silo.
/// </summary>
public sealed partial class ComposeEnvironmentTests
{
    /// <summary>
    /// The variables compose may give the hosts, each seen read by the process test below: the environment (Cluster
    /// settings, hence PostgreSQL), the connection string, the bootstrap key, the cluster and service ids, the ports and
    /// listening on every interface.
    /// </summary>
    private static readonly HashSet<string> VariablesHostsRead =
    [
        "DOTNET_ENVIRONMENT", "ConnectionStrings__Postgres", "Sessions__Auth__BootstrapKey", "Orleans__ClusterId", "Orleans__ServiceId",
        "Orleans__SiloPort", "Orleans__GatewayPort", "Orleans__ListenOnAnyHostAddress",
    ];

    [Fact]
    public async Task The_validator_accepts_the_compose_file()
    {
        var compose = await LoadAsync();

        Assert.Equal(["postgres", "migrate", "silo1", "silo2", "silo3", "gateway1", "gateway2"], compose.GetProperty("services").EnumerateObject().Select(s => s.Name));
    }

    [Theory]
    [InlineData("stop_grace_period: 30s", "stop_grace_perod: 30s", "invalid-schema")]
    [InlineData("restart: \"no\"", "restart: [\"no\"]", "invalid-schema")]
    [InlineData("\"8082:8080\"", "\"8081:8080\"", "no-duplicate-exported-ports")]
    public async Task The_validator_rejects_a_broken_compose_file(string find, string replace, string problem)
    {
        using var copy = new TempDirectory();
        var text = await File.ReadAllTextAsync(TestData.RepositoryFile("docker-compose.yml"), TestContext.Current.CancellationToken);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docker-compose.yml no longer contains {find}: the case breaks nothing");
        var path = Path.Combine(copy.Path, "docker-compose.yml");
        await File.WriteAllTextAsync(path, text[..at] + replace + text[(at + find.Length)..], TestContext.Current.CancellationToken);

        var run = await ValidateAsync(path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(problem, run.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_variable_compose_gives_a_host_is_one_it_reads()
    {
        var compose = await LoadAsync();

        var unread = (from service in compose.GetProperty("services").EnumerateObject()
                      where service.Value.TryGetProperty("build", out _)
                      from variable in service.Value.GetProperty("environment").EnumerateObject()
                      where !VariablesHostsRead.Contains(variable.Name)
                      select $"{service.Name}: {variable.Name}").ToList();

        Assert.True(unread.Count == 0, $"Variables no host reads: {string.Join(", ", unread)}");
    }

    [Fact]
    public async Task The_compose_environment_migrates_and_runs_a_silo_and_a_gateway_where_compose_expects_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var services = (await LoadAsync()).GetProperty("services");
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        var variables = new Dictionary<string, string> { ["SESSIONS_BOOTSTRAP_KEY"] = HostProcess.BootstrapKey }; // POSTGRES_PASSWORD: its default

        var migrate = services.GetProperty("migrate");
        await ContainerRuns.MigrateAsync(database, Command(migrate), Environment(services, migrate, variables, database), ct);

        // A silo as silo1: ports of its own on this machine, and the loopback address to advertise, since here every
        // "container" shares one host (on the compose network each has an address of its own).
        var siloService = services.GetProperty("silo1");
        var silo = Environment(services, siloService, variables, database);
        var exposed = siloService.GetProperty("expose").EnumerateArray().Select(p => int.Parse(p.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var (httpPort, siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        silo["ASPNETCORE_URLS"] = ContainerRuns.MovePort(silo["ASPNETCORE_URLS"], Dockerfile.Repository.HttpPortOf(Target(siloService)), httpPort);
        foreach (var (variable, port) in new[] { ("Orleans__SiloPort", siloPort), ("Orleans__GatewayPort", gatewayPort) })
        {
            var containerPort = int.Parse(silo[variable], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(containerPort, exposed);
            silo[variable] = ContainerRuns.MovePort(silo[variable], containerPort, port);
        }

        Assert.Contains(Dockerfile.Repository.HttpPortOf(Target(siloService)), exposed);
        silo["Orleans__AdvertisedIPAddress"] = "127.0.0.1";
        await using var siloHost = await ContainerRuns.StartSiloAsync(database, Command(siloService), silo, httpPort, siloPort, gatewayPort, silo["Orleans__ClusterId"], ct);

        // It listens on every interface, as each container does: another loopback address than the advertised one reaches it.
        using (var probe = new TcpClient())
        {
            var other = IPAddress.Parse("127.0.0.2");
            var refused = await Record.ExceptionAsync(() => probe.ConnectAsync(other, gatewayPort, ct).AsTask());
            Assert.True(refused is null, $"The silo does not listen on {other}:{gatewayPort}, so not on every interface: {refused?.Message}");
        }

        // A gateway as gateway1, answering where compose publishes it: the container port of "8081:8080".
        var gatewayService = services.GetProperty("gateway1");
        var gateway = Environment(services, gatewayService, variables, database);
        var published = Assert.Single(gatewayService.GetProperty("ports").EnumerateArray()).GetString()!;
        var containerHttpPort = int.Parse(published[(published.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var gatewayHttpPort = FreePorts.Next();
        gateway["ASPNETCORE_URLS"] = ContainerRuns.MovePort(gateway["ASPNETCORE_URLS"], containerHttpPort, gatewayHttpPort);
        await using var gatewayHost = await HostProcess.StartAsContainerAsync(HostProcess.GatewayAssembly, "gateway", Command(gatewayService), gateway, gatewayHttpPort, 0, ct);

        await ContainerRuns.SignOnIsStoredAsync(gatewayHost, database, gateway["Orleans__ServiceId"], ct);
    }

    private static Task<NodeRun> ValidateAsync(string path) => NodeScripts.RunAsync("compose-file.mjs", "dclint", [path]);

    private static async Task<JsonElement> LoadAsync()
    {
        var run = await ValidateAsync(TestData.RepositoryFile("docker-compose.yml"));
        Assert.True(run.ExitCode == 0, $"The validator rejected docker-compose.yml:\n{run.Errors}");
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }

    private static string Target(JsonElement service) => service.GetProperty("build").GetProperty("target").GetString()!;

    private static string[] Command(JsonElement service) =>
        service.TryGetProperty("command", out var command) ? [.. command.EnumerateArray().Select(a => a.GetString()!)] : [];

    /// <summary>
    /// The environment compose starts <paramref name="service"/>'s container with — its image's (Dockerfile), then the
    /// service's, with <paramref name="variables"/> interpolated — and the database of the compose file replaced by the
    /// test's, once it is seen to be the compose file's own PostgreSQL service.
    /// </summary>
    private static Dictionary<string, string> Environment(JsonElement services, JsonElement service, Dictionary<string, string> variables, PostgresDatabase database)
    {
        var target = Target(service);
        Assert.Equal(["dotnet", Path.GetFileName(target == "silo" ? HostProcess.SiloAssembly : HostProcess.GatewayAssembly)], Dockerfile.Repository.EntrypointOf(target));
        var environment = new Dictionary<string, string>(Dockerfile.Repository.EnvironmentOf(target));
        foreach (var variable in service.GetProperty("environment").EnumerateObject())
        {
            environment[variable.Name] = Interpolate(variable.Value.GetString()!, variables);
        }

        var postgres = services.GetProperty("postgres").GetProperty("environment");
        var connection = new NpgsqlConnectionStringBuilder(environment["ConnectionStrings__Postgres"]);
        Assert.Equal(("postgres", 5432), (connection.Host, connection.Port));
        Assert.Equal(
            (Interpolate(postgres.GetProperty("POSTGRES_USER").GetString()!, variables), Interpolate(postgres.GetProperty("POSTGRES_PASSWORD").GetString()!, variables), Interpolate(postgres.GetProperty("POSTGRES_DB").GetString()!, variables)),
            (connection.Username, connection.Password, connection.Database));
        environment["ConnectionStrings__Postgres"] = database.ConnectionString;
        return environment;
    }

    /// <summary>Compose's interpolation: <c>${NAME}</c>, <c>${NAME:-default}</c>, <c>${NAME-default}</c>, <c>${NAME:?error}</c>, <c>${NAME?error}</c>.</summary>
    private static string Interpolate(string value, Dictionary<string, string> variables)
    {
        Assert.DoesNotContain("$$", value, StringComparison.Ordinal);
        var result = VariablePattern().Replace(value, match =>
        {
            var name = match.Groups["name"].Value;
            var set = variables.TryGetValue(name, out var current);
            var empty = !set || current!.Length == 0;
            return match.Groups["op"].Value switch
            {
                "" => current ?? "",
                ":-" => empty ? match.Groups["arg"].Value : current!,
                "-" => set ? current! : match.Groups["arg"].Value,
                ":?" when empty => throw new InvalidOperationException($"compose would refuse: {match.Groups["arg"].Value}"),
                "?" when !set => throw new InvalidOperationException($"compose would refuse: {match.Groups["arg"].Value}"),
                _ => current!,
            };
        });
        Assert.DoesNotContain("${", result, StringComparison.Ordinal);
        return result;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?])(?<arg>[^}]*))?\}")]
    private static partial Regex VariablePattern();
}
