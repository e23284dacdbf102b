using System.Text.Json;
using System.Text.Json.Serialization;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// Runs a script of <c>tests/clients/</c> — a vendor's published client driven against a running host — with
/// node (<see cref="NodeScripts"/>), and reads the JSON it prints. Node and the npm packages are required: without
/// them the test fails with what to install, it is never skipped.
/// </summary>
internal static class OfficialClients
{
    private static readonly JsonSerializerOptions StepJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Runs <paramref name="script"/> with <paramref name="steps"/> as its JSON argument; its printed JSON.</summary>
    public static async Task<JsonElement> RunAsync(string script, string package, IReadOnlyDictionary<string, string> environment, object steps)
    {
        var stepsJson = JsonSerializer.Serialize(steps, StepJson);
        var run = await NodeScripts.RunAsync(script, package, [stepsJson], environment);
        Assert.True(run.ExitCode == 0, $"node {script} exited with {run.ExitCode} (steps {stepsJson}):\n{run.Errors}\n{run.Output}");
        return JsonDocument.Parse(run.Output).RootElement.Clone();
    }
}
