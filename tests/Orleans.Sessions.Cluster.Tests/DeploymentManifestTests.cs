using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The Kubernetes manifests of deploy/kubernetes (docs/operations.md, "Kubernetes"): valid for Kubernetes' schemas by
/// the validator (deploy/kubernetes/README.md), and true to the code — probes on the health endpoints where the image
/// serves HTTP, only variables the hosts read, the migrate Job, Kubernetes hosting's labels and rights — and, run as
/// processes with the manifests' own environment, a migrated database, a silo in the ConfigMap's cluster and a gateway
/// that serves through it.
/// </summary>
public sealed class DeploymentManifestTests
{
    private const string Silo = "orleans-sessions-silo";
    private const string Gateway = "orleans-sessions-gateway";
    private const string Migrate = "orleans-sessions-migrate";
    private const string Shared = "orleans-sessions";

    /// <summary>
    /// What the containers may be given, each read by a host: the settings the processes below prove (the environment
    /// selects the Cluster settings file and so PostgreSQL; the connection string, bootstrap key, cluster and service ids
    /// and ports are seen used), the Kubernetes switch (its own test below), and the downward-API variables Orleans'
    /// Kubernetes hosting reads (POD_IP also the cluster profile: ClusterProfileTests).
    /// </summary>
    private static readonly HashSet<string> VariablesHostsRead =
    [
        "DOTNET_ENVIRONMENT", "ConnectionStrings__Postgres", "Sessions__Auth__BootstrapKey", "Orleans__ClusterId", "Orleans__ServiceId",
        "Orleans__SiloPort", "Orleans__GatewayPort", "Orleans__Kubernetes", "POD_NAME", "POD_NAMESPACE", "POD_IP",
    ];

    [Fact]
    public async Task The_validator_accepts_the_manifests_and_they_hold_the_whole_service()
    {
        var manifests = await DeploymentManifests.LoadAsync();

        Assert.Equal("orleans-sessions", manifests.Namespace);
        foreach (var (kind, name) in new[]
        {
            ("ConfigMap", Shared), ("ServiceAccount", Silo), ("Role", Silo), ("RoleBinding", Silo), ("Job", Migrate),
            ("Deployment", Silo), ("Service", Silo), ("PodDisruptionBudget", Silo),
            ("Deployment", Gateway), ("Service", Shared), ("PodDisruptionBudget", Gateway),
        })
        {
            manifests.Get(kind, name);
        }

        // PostgreSQL and the Secret are the operator's: the Secret is only an example, and nothing runs a database.
        Assert.DoesNotContain(manifests.Resources, r => r.GetProperty("kind").GetString() == "Secret");
        Assert.DoesNotContain(manifests.Resources, r => r.GetProperty("kind").GetString() is "StatefulSet" or "PersistentVolumeClaim");
        manifests.Example("Secret", Shared);
    }

    [Theory]
    [InlineData("silo.yaml", "replicas: 3", "replicas: \"three\"", "spec/replicas must be integer")]
    [InlineData("gateway.yaml", "- name: gateway\n          image:", "- image:", "must have required property name")]
    [InlineData("migrate-job.yaml", "kind: Job", "kind: Jobs", "unknown kind Jobs in batch/v1")]
    [InlineData("kustomization.yaml", "  - gateway.yaml\n", "", "gateway.yaml: is not listed in kustomization.yaml")]
    [InlineData("silo.yaml", "key: bootstrap-key", "key: bootstrap", "key bootstrap, which neither the manifests nor an example define")]
    [InlineData("gateway.yaml", "port: http\n", "port: web\n", "names port web, which the container does not declare")]
    public async Task The_validator_rejects_a_broken_manifest(string file, string find, string replace, string problem)
    {
        using var copy = new TempDirectory();
        foreach (var source in Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, DeploymentManifests.Folder)))
        {
            File.Copy(source, Path.Combine(copy.Path, Path.GetFileName(source)));
        }

        var path = Path.Combine(copy.Path, file);
        var text = await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{file} no longer contains {find}: the case breaks nothing");
        await File.WriteAllTextAsync(path, text[..at] + replace + text[(at + find.Length)..], TestContext.Current.CancellationToken);

        var run = await DeploymentManifests.ValidateAsync(copy.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(problem, run.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Silo, "silo")]
    [InlineData(Gateway, "gateway")]
    public async Task Probes_ask_the_health_endpoints_where_the_image_serves_HTTP(string deployment, string target)
    {
        var manifests = await DeploymentManifests.LoadAsync();
        var workload = manifests.Get("Deployment", deployment);
        var container = DeploymentManifests.ContainerOf(workload);
        var httpPort = Dockerfile.Repository.HttpPortOf(target);

        Assert.Equal($"orleans-sessions-{target}", container.GetProperty("image").GetString()); // `docker build --target {target}`, as compose names it
        foreach (var (probe, path) in new[] { ("startupProbe", "/health/live"), ("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready") })
        {
            var get = container.GetProperty(probe).GetProperty("httpGet");
            Assert.Equal(path, get.GetProperty("path").GetString());
            Assert.Equal(httpPort, DeploymentManifests.PortOf(container, get.GetProperty("port")));
        }

        var service = manifests.Get("Service", deployment == Gateway ? Shared : Silo);
        var port = Assert.Single(DeploymentManifests.Array(service.GetProperty("spec"), "ports"));
        Assert.Equal(80, port.GetProperty("port").GetInt32());
        Assert.Equal(httpPort, DeploymentManifests.PortOf(container, port.GetProperty("targetPort")));
        var annotations = workload.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("annotations");
        Assert.Equal(httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations.GetProperty("prometheus.io/port").GetString());
    }

    [Fact]
    public async Task Every_variable_given_to_a_container_is_one_a_host_reads()
    {
        var manifests = await DeploymentManifests.LoadAsync();

        var unread = manifests.VariableNames().Where(v => !VariablesHostsRead.Contains(v.Variable)).ToList();

        Assert.True(unread.Count == 0, $"Variables no host reads: {string.Join(", ", unread)}");
    }

    [Fact]
    public async Task The_migrate_Job_runs_the_silo_images_migrate_command_on_the_silos_database()
    {
        var manifests = await DeploymentManifests.LoadAsync();
        var job = manifests.Get("Job", Migrate);
        var migrate = DeploymentManifests.ContainerOf(job);
        var silo = DeploymentManifests.ContainerOf(manifests.Get("Deployment", Silo));

        Assert.Equal(silo.GetProperty("image").GetString(), migrate.GetProperty("image").GetString());
        Assert.Equal(["migrate"], DeploymentManifests.Array(migrate, "args").Select(a => a.GetString()));
        Assert.Equal("Never", DeploymentManifests.PodSpecOf(job).GetProperty("restartPolicy").GetString());
        Assert.Equal(ValueFrom(silo, "ConnectionStrings__Postgres"), ValueFrom(migrate, "ConnectionStrings__Postgres"));
        var environment = manifests.EnvironmentOf(migrate, Secrets("unused"), new Dictionary<string, string>());
        Assert.Equal(manifests.Get("ConfigMap", Shared).GetProperty("data").GetProperty("DOTNET_ENVIRONMENT").GetString(), environment["DOTNET_ENVIRONMENT"]);
    }

    [Fact]
    public async Task Kubernetes_hosting_finds_the_silo_pods_with_the_rights_it_needs()
    {
        var manifests = await DeploymentManifests.LoadAsync();
        var workload = manifests.Get("Deployment", Silo);
        var container = DeploymentManifests.ContainerOf(workload);
        var shared = manifests.Get("ConfigMap", Shared).GetProperty("data");
        var environment = manifests.EnvironmentOf(container, Secrets("unused"), PodFields(manifests));

        Assert.Equal("true", environment["Orleans__Kubernetes"]);
        Assert.Equal(("orleans-sessions-silo-0", manifests.Namespace, "127.0.0.1"), (environment["POD_NAME"], environment["POD_NAMESPACE"], environment["POD_IP"]));

        // The labels Kubernetes hosting selects the cluster's pods by: the ids silos and gateways use, on silo pods only.
        var labels = DeploymentManifests.PodLabelsOf(workload);
        Assert.Equal(shared.GetProperty("Orleans__ServiceId").GetString(), DeploymentManifests.LabelOf(labels, "orleans/serviceId"));
        Assert.Equal(shared.GetProperty("Orleans__ClusterId").GetString(), DeploymentManifests.LabelOf(labels, "orleans/clusterId"));
        foreach (var other in new[] { manifests.Get("Deployment", Gateway), manifests.Get("Job", Migrate) })
        {
            Assert.Null(DeploymentManifests.LabelOf(DeploymentManifests.PodLabelsOf(other), "orleans/clusterId"));
            Assert.False(DeploymentManifests.PodSpecOf(other).GetProperty("automountServiceAccountToken").GetBoolean());
        }

        // It reads its own pod, labels it, lists and watches the others: the silos' ServiceAccount is bound to those rights.
        var account = DeploymentManifests.PodSpecOf(workload).GetProperty("serviceAccountName").GetString()!;
        var binding = manifests.Resources.Single(r => r.GetProperty("kind").GetString() == "RoleBinding"
            && DeploymentManifests.Array(r, "subjects").Any(s => s.GetProperty("kind").GetString() == "ServiceAccount" && s.GetProperty("name").GetString() == account));
        var rules = DeploymentManifests.Array(manifests.Get("Role", binding.GetProperty("roleRef").GetProperty("name").GetString()!), "rules");
        var verbs = rules.Where(r => DeploymentManifests.Array(r, "resources").Any(x => x.GetString() == "pods"))
            .SelectMany(r => DeploymentManifests.Array(r, "verbs").Select(v => v.GetString())).ToHashSet();
        Assert.Superset(new HashSet<string?> { "get", "list", "watch", "patch" }, verbs);

        // The silo's ports are the ones it is told to use, and the image exposes them.
        foreach (var (name, variable) in new[] { ("silo", "Orleans__SiloPort"), ("gateway", "Orleans__GatewayPort") })
        {
            var port = DeploymentManifests.PortOf(container, JsonSerializer.SerializeToElement(name));
            Assert.Equal(int.Parse(environment[variable], System.Globalization.CultureInfo.InvariantCulture), port);
            Assert.Contains(port, Dockerfile.Repository.ExposedBy("silo"));
        }
    }

    [Fact]
    public async Task Every_workload_has_requests_a_memory_limit_and_its_pods_a_disruption_budget()
    {
        var manifests = await DeploymentManifests.LoadAsync();

        foreach (var workload in new[] { manifests.Get("Deployment", Silo), manifests.Get("Deployment", Gateway), manifests.Get("Job", Migrate) })
        {
            var resources = DeploymentManifests.ContainerOf(workload).GetProperty("resources");
            Assert.True(resources.GetProperty("requests").TryGetProperty("cpu", out _));
            Assert.True(resources.GetProperty("requests").TryGetProperty("memory", out _));
            Assert.True(resources.GetProperty("limits").TryGetProperty("memory", out _));
        }

        foreach (var name in new[] { Silo, Gateway })
        {
            var labels = DeploymentManifests.PodLabelsOf(manifests.Get("Deployment", name));
            var selector = manifests.Get("PodDisruptionBudget", name).GetProperty("spec").GetProperty("selector").GetProperty("matchLabels");
            Assert.All(selector.EnumerateObject(), l => Assert.Equal(l.Value.GetString(), DeploymentManifests.LabelOf(labels, l.Name)));
        }

        // Time for a graceful stop: grains deactivate and write pending activity (docs/operations.md, "Shutdown").
        Assert.True(DeploymentManifests.PodSpecOf(manifests.Get("Deployment", Silo)).GetProperty("terminationGracePeriodSeconds").GetInt32() >= 30);
    }

    [Fact]
    public async Task The_manifests_environment_migrates_the_database_and_runs_a_silo_and_a_gateway_that_serve()
    {
        var ct = TestContext.Current.CancellationToken;
        var manifests = await DeploymentManifests.LoadAsync();
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        var shared = manifests.Get("ConfigMap", Shared).GetProperty("data");
        var secrets = Secrets(database.ConnectionString);

        var job = DeploymentManifests.ContainerOf(manifests.Get("Job", Migrate));
        await ContainerRuns.MigrateAsync(database, Arguments(job), Environment(manifests, job, "silo", secrets), ct);

        // The silo, with what must differ outside a cluster: ports of its own on this machine, and no Kubernetes API to
        // reach — Kubernetes hosting is off (the next test shows it on) and the silo advertises what it would have, POD_IP.
        var siloContainer = DeploymentManifests.ContainerOf(manifests.Get("Deployment", Silo));
        var silo = Environment(manifests, siloContainer, "silo", secrets);
        var (httpPort, siloPort, gatewayPort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        silo["ASPNETCORE_URLS"] = ContainerRuns.MovePort(silo["ASPNETCORE_URLS"], Port(siloContainer, "http"), httpPort);
        silo["Orleans__SiloPort"] = ContainerRuns.MovePort(silo["Orleans__SiloPort"], Port(siloContainer, "silo"), siloPort);
        silo["Orleans__GatewayPort"] = ContainerRuns.MovePort(silo["Orleans__GatewayPort"], Port(siloContainer, "gateway"), gatewayPort);
        Assert.Equal("true", silo["Orleans__Kubernetes"]);
        silo["Orleans__Kubernetes"] = "false";
        silo["Orleans__AdvertisedIPAddress"] = silo["POD_IP"];
        await using var siloHost = await ContainerRuns.StartSiloAsync(
            database, Arguments(siloContainer), silo, httpPort, siloPort, gatewayPort, shared.GetProperty("Orleans__ClusterId").GetString()!, ct);

        var gatewayContainer = DeploymentManifests.ContainerOf(manifests.Get("Deployment", Gateway));
        var gateway = Environment(manifests, gatewayContainer, "gateway", secrets);
        var gatewayHttpPort = FreePorts.Next();
        gateway["ASPNETCORE_URLS"] = ContainerRuns.MovePort(gateway["ASPNETCORE_URLS"], Port(gatewayContainer, "http"), gatewayHttpPort);
        await using var gatewayHost = await HostProcess.StartAsContainerAsync(HostProcess.GatewayAssembly, "gateway", Arguments(gatewayContainer), gateway, gatewayHttpPort, 0, ct);

        await ContainerRuns.SignOnIsStoredAsync(gatewayHost, database, shared.GetProperty("Orleans__ServiceId").GetString()!, ct);

        // What the kubelet would ask, each host answers: every probe's path, on the port the probe names (moved like the rest).
        foreach (var (host, container) in new[] { (siloHost, siloContainer), (gatewayHost, gatewayContainer) })
        {
            using var client = new HttpClient { BaseAddress = host.BaseAddress };
            foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            {
                var get = container.GetProperty(probe).GetProperty("httpGet");
                Assert.Equal(Port(container, "http"), DeploymentManifests.PortOf(container, get.GetProperty("port")));
                using var response = await client.GetAsync(get.GetProperty("path").GetString(), ct);
                Assert.True(response.IsSuccessStatusCode, $"{host.Name} answers {probe} {get.GetProperty("path")} with {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task With_the_manifests_switch_the_silo_runs_Kubernetes_hosting_which_needs_its_pods_namespace_and_a_cluster()
    {
        var ct = TestContext.Current.CancellationToken;
        var manifests = await DeploymentManifests.LoadAsync();
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        await database.MigrateAsync();
        var container = DeploymentManifests.ContainerOf(manifests.Get("Deployment", Silo));
        var silo = Environment(manifests, container, "silo", Secrets(database.ConnectionString));
        silo["ASPNETCORE_URLS"] = ContainerRuns.MovePort(silo["ASPNETCORE_URLS"], Port(container, "http"), FreePorts.Next());
        silo["Orleans__SiloPort"] = ContainerRuns.MovePort(silo["Orleans__SiloPort"], Port(container, "silo"), FreePorts.Next());
        silo["Orleans__GatewayPort"] = ContainerRuns.MovePort(silo["Orleans__GatewayPort"], Port(container, "gateway"), FreePorts.Next());

        // Outside a pod, Kubernetes hosting first misses the namespace the manifests give it, then, given it, the cluster's API.
        var withoutNamespace = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(silo.Where(v => v.Key != "POD_NAMESPACE")));
        Assert.Contains("POD_NAMESPACE", withoutNamespace.Message, StringComparison.Ordinal);
        var outsideCluster = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync(silo));
        Assert.Contains("exited", outsideCluster.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("POD_NAMESPACE", outsideCluster.Message, StringComparison.Ordinal);
        Assert.Contains("KUBERNETES_SERVICE_HOST", outsideCluster.Message, StringComparison.Ordinal);

        Task<HostProcess> StartAsync(IEnumerable<KeyValuePair<string, string>> environment) =>
            HostProcess.StartAsContainerAsync(HostProcess.SiloAssembly, "silo", Arguments(container), environment.ToDictionary(), FreePorts.Next(), 0, ct);
    }

    /// <summary>The image's environment (Dockerfile) overridden by the container's, as the kubelet starts it.</summary>
    private static Dictionary<string, string> Environment(DeploymentManifests manifests, JsonElement container, string target, IReadOnlyDictionary<string, string> secrets)
    {
        Assert.Equal(["dotnet", Path.GetFileName(target == "silo" ? HostProcess.SiloAssembly : HostProcess.GatewayAssembly)], Dockerfile.Repository.EntrypointOf(target));
        var environment = new Dictionary<string, string>(Dockerfile.Repository.EnvironmentOf(target));
        foreach (var (name, value) in manifests.EnvironmentOf(container, secrets, PodFields(manifests)))
        {
            environment[name] = value;
        }

        return environment;
    }

    private static string[] Arguments(JsonElement container) => [.. DeploymentManifests.Array(container, "args").Select(a => a.GetString()!)];

    private static int Port(JsonElement container, string name) => DeploymentManifests.PortOf(container, JsonSerializer.SerializeToElement(name));

    private static Dictionary<string, string> Secrets(string connectionString) => new()
    {
        [$"{Shared}/postgres-connection"] = connectionString,
        [$"{Shared}/bootstrap-key"] = HostProcess.BootstrapKey,
    };

    private static Dictionary<string, string> PodFields(DeploymentManifests manifests) => new()
    {
        ["metadata.name"] = "orleans-sessions-silo-0",
        ["metadata.namespace"] = manifests.Namespace,
        ["status.podIP"] = "127.0.0.1", // the pod's address, on this machine
    };

    private static string ValueFrom(JsonElement container, string variable) =>
        DeploymentManifests.Array(container, "env").Single(v => v.GetProperty("name").GetString() == variable).GetProperty("valueFrom").GetRawText();
}
