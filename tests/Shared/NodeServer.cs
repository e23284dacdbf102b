using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>
/// A script of <c>tests/clients/</c> that serves HTTP on loopback in a node process of its own and prints one JSON line
/// per happening — the first <c>{ "kind": "listening", "port" }</c>. Without node or the package it needs, the test
/// fails saying what to install.
/// </summary>
public sealed class NodeServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private NodeServer(Process process) => _process = process;

    /// <summary>Where it listens: <c>http://127.0.0.1:{port}</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every line printed so far, in order.</summary>
    public IEnumerable<JsonElement> Lines => _lines;

    /// <summary>The lines of one kind, in order.</summary>
    public List<JsonElement> Of(string kind) => [.. _lines.Where(l => l.GetProperty("kind").GetString() == kind)];

    public static async Task<NodeServer> StartAsync(string script, string package, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(Path.Combine(NodeScripts.Directory, "node_modules", package, "package.json")))
        {
            Assert.Fail($"{package} is not installed in {NodeScripts.Directory}: run `npm ci` there (scripts/test.sh and .ci/run do it).");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = NodeScripts.Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
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
            Assert.Fail($"node could not be started ({e.Message}): install Node.js 20 or later, then run `npm ci` in {NodeScripts.Directory}.");
            throw;
        }

        var server = new NodeServer(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                server._lines.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                server._errors.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForAsync($"node {script} to listen", () => server.Of("listening").Count > 0 || process.HasExited, TimeSpan.FromSeconds(20));
        if (process.HasExited)
        {
            await process.WaitForExitAsync(); // Its output read to the end.
            Assert.Fail($"node {script} exited ({process.ExitCode}) before it listened: {string.Join('\n', server._errors)}");
        }

        server.BaseUrl = $"http://127.0.0.1:{server.Of("listening")[0].GetProperty("port").GetInt32()}";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
