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

    /// <summary>The host's process id (for what /proc says about it).</summary>
    public int ProcessId => _process.Id;

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

    /// <summary>
    /// Starts <paramref name="assembly"/> as a container runs its image: <paramref name="arguments"/> and
    /// <paramref name="environment"/> alone say what it does — nothing is added, and the variables of the test process
    /// that .NET would read as settings are not passed on — and waits until it serves HTTP at 127.0.0.1:<paramref name="httpPort"/>,
    /// where that environment must have told it to listen.
    /// </summary>
    public static async Task<HostProcess> StartAsContainerAsync(
        string assembly,
        string name,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        int httpPort,
        int siloPort,
        CancellationToken cancellationToken) =>
        await LaunchAsync(ContainerStart(assembly, arguments, environment), name, new Uri($"http://127.0.0.1:{httpPort}"), siloPort, cancellationToken);

    /// <summary>Runs <paramref name="assembly"/> as a one-shot container (a Job, compose's <c>migrate</c>) to its exit: the exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsContainerAsync(
        string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        using var process = Process.Start(ContainerStart(assembly, arguments, environment)) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(assembly)} {string.Join(' ', arguments)} did not exit within 60 s.");
        }

        return (process.ExitCode, await output + await errors);
    }

    private static ProcessStartInfo ContainerStart(string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The host is not built at {assembly}.");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in start.Environment.Keys.Where(ReadAsSetting).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;

        // Hierarchical keys (Sessions__…), where to listen, the environment, and what Orleans' Kubernetes hosting reads.
        static bool ReadAsSetting(string name) =>
            name.Contains("__", StringComparison.Ordinal)
            || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("POD_", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("ORLEANS_", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("KUBERNETES_", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)
            || name is "DOTNET_ENVIRONMENT" or "URLS" or "HTTP_PORTS" or "HTTPS_PORTS";
    }

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
        return await LaunchAsync(start, name, new Uri($"http://127.0.0.1:{httpPort}"), siloPort, cancellationToken);
    }

    private static async Task<HostProcess> LaunchAsync(ProcessStartInfo start, string name, Uri baseAddress, int siloPort, CancellationToken cancellationToken)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new HostProcess(process, baseAddress, name, siloPort);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch
        {
            await host.DisposeAsync(); // The failure carries its output; nothing is left running.
            throw;
        }

        return host;
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
