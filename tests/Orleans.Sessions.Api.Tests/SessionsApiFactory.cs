using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Microsoft.Extensions.Time.Testing;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests;

/// <summary>
/// The real silo host (Orleans, SQLite storage in a temporary directory, the API on Kestrel) in process, on
/// loopback ports of its own, with session time on a fake clock. Shared by the tests of
/// <see cref="ApiCollection"/>, where the clock never moves; a test class that moves it has an
/// <see cref="OwnClockApiFactory"/> to itself. Its clients send the bootstrap key unless made with <see cref="CreateAnonymousClient"/>.
/// </summary>
public class SessionsApiFactory : WebApplicationFactory<Program>
{
    public const string BootstrapKey = "test-bootstrap-key-5f1c2a";

    public SessionsApiFactory() => UseKestrel(Port = FreePorts.Next());

    /// <summary>The loopback port the host's Kestrel listens on (a browser reaches it at <c>http://localhost:{Port}</c>).</summary>
    public int Port { get; }

    /// <summary>Settings a derived factory adds (rate limits, other keys).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>Whether the host gets the bootstrap key and <see cref="TestKeys"/>.</summary>
    protected virtual bool WithCredentials => true;

    protected virtual string EnvironmentName => "Testing";

    /// <summary>A client that sends no credential.</summary>
    public HttpClient CreateAnonymousClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = null;
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", BootstrapKey);
    }

    private readonly TempDirectory _data = new();

    /// <summary>The host's <c>Sessions:DataDirectory</c> (its SQLite file).</summary>
    public string DataDirectory => _data.Path;

    /// <summary>Every line the host logged, at Debug and above (Trace for this service's own categories).</summary>
    public LogSink Logs { get; } = new();

    /// <summary>Every span the host's OpenTelemetry pipeline exported.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity> Spans { get; } = new();

    /// <summary>
    /// Session time. Only <see cref="OwnClockApiFactory"/> lets tests move it, so on a host that several test classes
    /// share it stays where it starts and no test can depend on another moving it.
    /// </summary>
    private protected FakeTimeProvider SessionClock { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", "api-tests-" + Guid.NewGuid().ToString("N")[..8]);
        builder.UseSetting("Sessions:DataDirectory", _data.Path);
        builder.UseSetting("Sessions:DefaultTenant", TestKeys.Tenant);
        builder.UseSetting("Sessions:GeoIp:DatabasePath", TestData.GeoIpCityDatabase);
        builder.UseSetting("Sessions:GeoIp:AsnDatabasePath", TestData.AsnDatabase);
        builder.UseSetting("Sessions:Telemetry:Enabled", "true");
        var credentials = WithCredentials ? TestKeys.Settings().Append(new("Sessions:Auth:BootstrapKey", BootstrapKey)) : [];
        foreach (var (key, value) in credentials.Concat(Settings))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddKeyedSingleton<TimeProvider>(SessionsClock.Key, SessionClock);
            services.AddOpenTelemetry().WithTracing(tracing => tracing.AddProcessor(new OpenTelemetry.SimpleActivityExportProcessor(new SpanSink(Spans))));
        });
        builder.ConfigureLogging(logging => logging
            .AddProvider(Logs)
            .AddFilter<LogSink>("Microsoft.AspNetCore", LogLevel.Debug)
            .AddFilter<LogSink>("Orleans.Sessions", LogLevel.Trace)
            .AddFilter<LogSink>("Orleans", LogLevel.Information));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _data.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<SessionsApiFactory>
{
    public const string Name = "api";
}

/// <summary>Keeps exported spans in memory (a bounded queue is not needed: a test run makes a few thousand).</summary>
internal sealed class SpanSink(System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity> spans) : OpenTelemetry.BaseExporter<System.Diagnostics.Activity>
{
    public override OpenTelemetry.ExportResult Export(in OpenTelemetry.Batch<System.Diagnostics.Activity> batch)
    {
        foreach (var activity in batch)
        {
            spans.Enqueue(activity);
        }

        return OpenTelemetry.ExportResult.Success;
    }
}
