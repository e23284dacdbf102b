using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests;

/// <summary>
/// The real silo host (Orleans, SQLite storage in a temporary directory, the API) in process, on ports of
/// its own, with session time on a fake clock. Shared by the tests of <see cref="ApiCollection"/>.
/// </summary>
public sealed class SessionsApiFactory : WebApplicationFactory<Program>
{
    public const string BootstrapKey = "test-bootstrap-key-5f1c2a";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("orleans-sessions-api-").FullName;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Orleans:SiloPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:GatewayPort", FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Orleans:ClusterId", "api-tests-" + Guid.NewGuid().ToString("N")[..8]);
        builder.UseSetting("Sessions:DataDirectory", _dataDirectory);
        builder.UseSetting("Sessions:Auth:BootstrapKey", BootstrapKey);
        builder.ConfigureServices(services => services.AddKeyedSingleton<TimeProvider>(SessionsClock.Key, Clock));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<SessionsApiFactory>
{
    public const string Name = "api";
}
