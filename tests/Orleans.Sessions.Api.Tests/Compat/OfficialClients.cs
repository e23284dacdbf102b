using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// Runs a script of <c>tests/clients/</c> — a vendor's published client driven against a running host — with
/// node, and reads the JSON it prints. Node and the npm packages are required: without them the test fails
/// with what to install, it is never skipped.
/// </summary>
internal static class OfficialClients
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly JsonSerializerOptions StepJson = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The directory of the Node project (<c>tests/clients</c>), set at build time.</summary>
    public static string Directory { get; } =
        typeof(OfficialClients).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OfficialClientsDirectory").Value!;

    /// <summary>Runs <paramref name="script"/> with <paramref name="steps"/> as its JSON argument; its printed JSON.</summary>
    public static async Task<JsonElement> RunAsync(string script, string package, IReadOnlyDictionary<string, string> environment, object steps)
    {
        if (!File.Exists(Path.Combine(Directory, "node_modules", package, "package.json")))
        {
            Assert.Fail($"{package} is not installed in {Directory}: run `npm ci` there (scripts/test.sh and .ci/run do it).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(JsonSerializer.Serialize(steps, StepJson));
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"node could not be started ({e.Message}): install Node.js 20 or later, then run `npm ci` in {Directory}.");
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(Deadline);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"node {script} did not finish within {Deadline.TotalSeconds} s (steps {JsonSerializer.Serialize(steps, StepJson)}).");
            }

            var printed = await output;
            Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}:\n{await errors}\n{printed}");
            return JsonDocument.Parse(printed).RootElement.Clone();
        }
    }
}
