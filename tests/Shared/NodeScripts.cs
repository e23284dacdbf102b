using System.ComponentModel;
using System.Diagnostics;

namespace Orleans.Sessions.Testing;

/// <summary>
/// Runs a script of <c>tests/clients/</c> — a Node project whose packages (the vendors' published clients, the manifest
/// validators) are pinned by its lock file and installed by <c>npm ci</c> there, as scripts/test.sh and .ci/run do —
/// with node. Without node or the package a script needs, the test fails saying what to install; it is never skipped.
/// </summary>
public static class NodeScripts
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The Node project's directory, <c>tests/clients</c>.</summary>
    public static string Directory => Path.Combine(TestData.RepositoryRoot, "tests", "clients");

    /// <summary>
    /// Runs <c>node <paramref name="script"/> <paramref name="arguments"/></c> in <see cref="Directory"/> once
    /// <paramref name="package"/> is installed there, and returns its exit code and output whatever they are.
    /// </summary>
    public static async Task<NodeRun> RunAsync(
        string script, string package, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
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
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
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
                Assert.Fail($"node {script} did not finish within {Deadline.TotalSeconds} s.");
            }

            return new NodeRun(process.ExitCode, await output, await errors);
        }
    }
}

/// <summary>How a node script ended: its exit code, what it printed, and what it printed on stderr.</summary>
public sealed record NodeRun(int ExitCode, string Output, string Errors);
