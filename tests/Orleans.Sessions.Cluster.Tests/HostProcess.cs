using System.Diagnostics;
using System.Reflection;
using System.Text;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// A real host executable (the silo or the gateway) in a process of its own, on free loopback ports, with
/// its output kept for failure messages. <see cref="Kill"/> is SIGKILL: nothing is flushed or disposed.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process, Uri baseAddress, string name, int siloPort)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
        SiloPort = siloPort;
    }

    public Uri BaseAddress { get; }

    public string Name { get; }

    /// <summary>The silo's silo-to-silo port (0 for a gateway).</summary>
    public int SiloPort { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The bootstrap key every host of the tests is started with, and every client sends.</summary>
    public const string BootstrapKey = "cluster-tests-bootstrap-key-7d41";

    public static string SiloAssembly { get; } = BuiltAssembly("SiloAssembly");

    public static string GatewayAssembly { get; } = BuiltAssembly("GatewayAssembly");

    /// <summary>Starts a silo with <paramref name="settings"/> (configuration keys) and waits until it serves HTTP.</summary>
    public static Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken) =>
        StartSiloAsync(settings, "Production", cancellationToken);

    /// <summary>
    /// Starts a silo told where to listen only by <paramref name="listen"/> (environment variables made from the free
    /// HTTP port it is given, no <c>--urls</c>), and waits until it serves HTTP on 127.0.0.1 at that port.
    /// </summary>
    public static async Task<HostProcess> StartSiloListeningAsync(
        Func<int, IReadOnlyDictionary<string, string>> listen, string dataDirectory, CancellationToken cancellationToken)
    {
        var siloPort = FreePorts.Next();
        var settings = new Dictionary<string, string>
        {
            ["Orleans:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions:DataDirectory"] = dataDirectory,
        };
        return await StartAsync(SiloAssembly, $"silo:{siloPort}", settings, "Production", siloPort, cancellationToken, listen: listen);
    }

    public static async Task<HostProcess> StartSiloAsync(
        IReadOnlyDictionary<string, string> settings,
        string environment,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environmentVariables = null,
        bool withBootstrapKey = true)
    {
        var siloPort = FreePorts.Next();
        var extra = new Dictionary<string, string>(settings)
        {
            ["Orleans:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return await StartAsync(SiloAssembly, $"silo:{siloPort}", extra, environment, siloPort, cancellationToken, environmentVariables, withBootstrapKey);
    }

    public static Task<HostProcess> StartGatewayAsync(IReadOnlyDictionary<string, string> settings, string environment, CancellationToken cancellationToken) =>
        StartAsync(GatewayAssembly, "gateway", settings, environment, siloPort: 0, cancellationToken);

    private static async Task<HostProcess> StartAsync(
        string assembly,
        string name,
        IReadOnlyDictionary<string, string> settings,
        string environment,
        int siloPort,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environmentVariables = null,
        bool withBootstrapKey = true,
        Func<int, IReadOnlyDictionary<string, string>>? listen = null)
    {
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The host is not built at {assembly}.");
        }

        var httpPort = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        if (listen is null)
        {
            start.ArgumentList.Add($"--urls=http://127.0.0.1:{httpPort}");
        }
        if (withBootstrapKey)
        {
            start.ArgumentList.Add($"--Sessions:Auth:BootstrapKey={BootstrapKey}");
        }

        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (key, value) in (environmentVariables ?? new Dictionary<string, string>()).Concat(listen?.Invoke(httpPort) ?? new Dictionary<string, string>()))
        {
            start.Environment[key] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var silo = new HostProcess(process, new Uri($"http://127.0.0.1:{httpPort}"), name, siloPort);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await silo.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return silo;
    }

    /// <summary>A client of this host's API that sends the bootstrap key.</summary>
    public HttpClient CreateClient(TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BootstrapKey);
        return client;
    }

    /// <summary>SIGKILL, then wait for the process to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM: the host shuts down gracefully (grains deactivate, storage closes); waits for the exit.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
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

    /// <summary>
    /// <see cref="Waiting.WaitForAsync(string, Func{Task{bool}}, TimeSpan)"/>; when it times out, the failure carries the
    /// end of each of <paramref name="hosts"/>' output.
    /// </summary>
    public static async Task WaitShowingOutputAsync(string description, Func<Task<bool>> condition, TimeSpan timeout, params IEnumerable<HostProcess> hosts)
    {
        try
        {
            await WaitForAsync(description, condition, timeout);
        }
        catch (TimeoutException timedOut)
        {
            var output = string.Join("\n\n", hosts.Select(h => $"--- {h.Name} (exited: {h.HasExited}) ---\n{Tail(h.Output)}"));
            throw new TimeoutException($"{timedOut.Message}\n{output}", timedOut);
        }
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];

    private async Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await WaitShowingOutputAsync($"{Name} at {BaseAddress} to be ready (/health/ready)", IsHealthyAsync, timeout, this);

        async Task<bool> IsHealthyAsync()
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready", cancellationToken);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false; // Not listening yet.
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string BuiltAssembly(string key) => typeof(HostProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
