using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Contract;

/// <summary>
/// Stoplight Prism (<c>@stoplight/prism-cli</c>, tests/clients) as a validating proxy in a process of its own: it
/// forwards each request to the service and checks the request and the answer against the OpenAPI document it was
/// given, saying what does not match in the answer's <c>sl-violations</c> header. An implementation of OpenAPI that
/// is not the service's own, so the document is checked by something that did not write it.
/// </summary>
public sealed class ValidatingProxy : IAsyncDisposable
{
    private const string Package = "@stoplight/prism-cli";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ValidatingProxy(Process process, Uri address) => (_process, Address) = (process, address);

    /// <summary>Where to send requests.</summary>
    public Uri Address { get; }

    /// <summary>Starts Prism on a free loopback port in front of <paramref name="upstream"/>, checking against <paramref name="documentPath"/>.</summary>
    public static async Task<ValidatingProxy> StartAsync(string documentPath, Uri upstream)
    {
        var script = Path.Combine(NodeScripts.Directory, "node_modules", Package, "dist", "index.js");
        if (!File.Exists(script))
        {
            Assert.Fail($"{Package} is not installed in {NodeScripts.Directory}: run `npm ci` there (scripts/test.sh and .ci/run do it).");
        }

        var port = FreePorts.Next();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = NodeScripts.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "proxy", documentPath, upstream.ToString().TrimEnd('/'), "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
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

        var proxy = new ValidatingProxy(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => proxy.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => proxy.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Waiting.WaitForAsync(
                "Prism to listen",
                () => process.HasExited ? throw new InvalidOperationException($"Prism exited with {process.ExitCode}:\n{proxy.Output}") : proxy._output.Any(l => l.Contains("Prism is listening", StringComparison.Ordinal)),
                StartTimeout);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }

        return proxy;
    }

    /// <summary>What Prism printed (its own log: requests, forwards, violations).</summary>
    public string Output => string.Join('\n', _output.TakeLast(200));

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            while (_output.Count > 2_000 && _output.TryDequeue(out _))
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }
}
