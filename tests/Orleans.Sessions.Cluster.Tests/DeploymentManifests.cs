using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The Kubernetes manifests of <c>deploy/kubernetes</c> as the validator (<c>tests/clients/kubernetes-manifests.mjs</c>)
/// accepted and printed them, and what a container of them is given: its ports, and its environment as the kubelet would
/// build it — the ConfigMaps of <c>envFrom</c>, then <c>env</c>, with Secret keys and downward-API fields supplied by the test.
/// </summary>
public sealed class DeploymentManifests
{
    public const string Folder = "deploy/kubernetes";

    private readonly JsonElement _document;

    private DeploymentManifests(JsonElement document) => _document = document;

    /// <summary>Runs the validator on <paramref name="folder"/>: exit code, the manifests as JSON, the problems found.</summary>
    public static Task<NodeRun> ValidateAsync(string folder) => NodeScripts.RunAsync("kubernetes-manifests.mjs", "kubernetes-models", [folder]);

    public static async Task<DeploymentManifests> LoadAsync()
    {
        var run = await ValidateAsync(Path.Combine(TestData.RepositoryRoot, Folder));
        Assert.True(run.ExitCode == 0, $"The validator rejected {Folder}:\n{run.Errors}");
        return new DeploymentManifests(JsonDocument.Parse(run.Output).RootElement.Clone());
    }

    /// <summary>The kustomization's namespace.</summary>
    public string Namespace => _document.GetProperty("namespace").GetString()!;

    public IEnumerable<JsonElement> Resources => _document.GetProperty("resources").EnumerateArray().Select(e => e.GetProperty("object"));

    public JsonElement Get(string kind, string name) => Find(Resources, kind, name);

    /// <summary>An object of the example files (<c>*.example.yaml</c>), which are validated but never applied.</summary>
    public JsonElement Example(string kind, string name) => Find(_document.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("object")), kind, name);

    public static JsonElement PodSpecOf(JsonElement workload) => workload.GetProperty("spec").GetProperty("template").GetProperty("spec");

    public static JsonElement PodLabelsOf(JsonElement workload) => workload.GetProperty("spec").GetProperty("template").GetProperty("metadata").GetProperty("labels");

    /// <summary>The one container of <paramref name="workload"/>'s pods.</summary>
    public static JsonElement ContainerOf(JsonElement workload) => Assert.Single(PodSpecOf(workload).GetProperty("containers").EnumerateArray());

    /// <summary>The container port <paramref name="port"/> (a name or a number) stands for in <paramref name="container"/>.</summary>
    public static int PortOf(JsonElement container, JsonElement port) => port.ValueKind == JsonValueKind.Number
        ? port.GetInt32()
        : container.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("name").GetString() == port.GetString()).GetProperty("containerPort").GetInt32();

    public static string? LabelOf(JsonElement labels, string name) => labels.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>
    /// The variables <paramref name="container"/> is given. <paramref name="secrets"/> holds the values of
    /// <c>secretKeyRef</c>s by <c>name/key</c>, <paramref name="fields"/> those of <c>fieldRef</c>s by field path; a
    /// reference the test did not supply fails.
    /// </summary>
    public Dictionary<string, string> EnvironmentOf(JsonElement container, IReadOnlyDictionary<string, string> secrets, IReadOnlyDictionary<string, string> fields)
    {
        var environment = new Dictionary<string, string>();
        foreach (var source in Array(container, "envFrom"))
        {
            var configMap = Get("ConfigMap", source.GetProperty("configMapRef").GetProperty("name").GetString()!);
            foreach (var entry in configMap.GetProperty("data").EnumerateObject())
            {
                environment[entry.Name] = entry.Value.GetString()!;
            }
        }

        foreach (var variable in Array(container, "env"))
        {
            var name = variable.GetProperty("name").GetString()!;
            if (variable.TryGetProperty("value", out var value))
            {
                environment[name] = value.GetString()!;
                continue;
            }

            var from = variable.GetProperty("valueFrom");
            environment[name] = from switch
            {
                _ when from.TryGetProperty("secretKeyRef", out var secret) => Supplied(secrets, $"{secret.GetProperty("name").GetString()}/{secret.GetProperty("key").GetString()}", name),
                _ when from.TryGetProperty("fieldRef", out var field) => Supplied(fields, field.GetProperty("fieldPath").GetString()!, name),
                _ when from.TryGetProperty("configMapKeyRef", out var key) =>
                    Get("ConfigMap", key.GetProperty("name").GetString()!).GetProperty("data").GetProperty(key.GetProperty("key").GetString()!).GetString()!,
                _ => throw new InvalidOperationException($"{name}: a valueFrom the tests do not know: {from}"),
            };
        }

        return environment;

        static string Supplied(IReadOnlyDictionary<string, string> values, string reference, string name) =>
            values.TryGetValue(reference, out var value) ? value : throw new InvalidOperationException($"{name} reads {reference}, which the test does not supply.");
    }

    /// <summary>Every variable name the containers of the manifests are given, with the ConfigMaps they read.</summary>
    public IEnumerable<(string Workload, string Variable)> VariableNames() =>
        from workload in Resources.Where(r => r.TryGetProperty("spec", out var spec) && spec.TryGetProperty("template", out _))
        from container in PodSpecOf(workload).GetProperty("containers").EnumerateArray()
        from name in Array(container, "env").Select(v => v.GetProperty("name").GetString()!)
            .Concat(Array(container, "envFrom").SelectMany(s => Get("ConfigMap", s.GetProperty("configMapRef").GetProperty("name").GetString()!)
                .GetProperty("data").EnumerateObject().Select(e => e.Name)))
        select (workload.GetProperty("metadata").GetProperty("name").GetString()!, name);

    public static IEnumerable<JsonElement> Array(JsonElement element, string property) =>
        element.TryGetProperty(property, out var array) ? array.EnumerateArray() : [];

    private static JsonElement Find(IEnumerable<JsonElement> objects, string kind, string name) =>
        objects.SingleOrDefault(o => o.GetProperty("kind").GetString() == kind && o.GetProperty("metadata").GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } found
            ? found
            : throw new InvalidOperationException($"{Folder} defines no {kind} {name}.");
}
