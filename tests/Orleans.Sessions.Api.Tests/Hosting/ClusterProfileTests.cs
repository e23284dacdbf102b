using System.Net;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Orleans.Sessions.Hosting;

namespace Orleans.Sessions.Api.Tests.Hosting;

/// <summary>The cluster profile every host reads once: storage kind, identity, and PostgreSQL pools per kind of host.</summary>
public sealed class ClusterProfileTests
{
    private const string Connection = "Host=db;Username=sessions;Password=secret;Database=sessions";

    [Fact]
    public void Without_settings_it_is_the_embedded_single_node()
    {
        var profile = ClusterProfile.From(Configuration());

        Assert.Equal((StorageKind.Sqlite, "orleans-sessions", "dev", 11111, 30000), (profile.Storage, profile.ServiceId, profile.ClusterId, profile.SiloPort, profile.GatewayPort));
    }

    [Fact]
    public void Silos_take_the_configured_pool_and_gateways_keep_their_small_one()
    {
        var profile = ClusterProfile.From(Configuration(("Sessions:Storage", "postgres"), ("ConnectionStrings:Postgres", Connection), ("Sessions:Postgres:MaxPoolSize", "20")));

        Assert.Equal(StorageKind.Postgres, profile.Storage);
        Assert.Equal(20, new NpgsqlConnectionStringBuilder(profile.SiloPostgresConnection()).MaxPoolSize);
        Assert.Equal(ClusterProfile.DefaultGatewayPoolSize, new NpgsqlConnectionStringBuilder(profile.GatewayPostgresConnection()).MaxPoolSize);
    }

    [Fact]
    public void A_cluster_stores_grains_with_the_projects_storage_unless_adonet_is_chosen()
    {
        var byDefault = ClusterProfile.From(Configuration(("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection)));
        var adoNet = ClusterProfile.From(Configuration(("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection), ("Sessions:Postgres:GrainStorage", "adonet")));

        Assert.Equal((PostgresGrainStorageKind.Sessions, PostgresGrainStorageKind.AdoNet), (byDefault.PostgresGrainStorage, adoNet.PostgresGrainStorage));
    }

    [Fact]
    public void A_pool_size_in_the_connection_string_is_kept_unless_the_silo_setting_says_otherwise()
    {
        var own = ClusterProfile.From(Configuration(("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection + ";Maximum Pool Size=7")));
        var overridden = ClusterProfile.From(Configuration(
            ("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection + ";Maximum Pool Size=7"), ("Sessions:Postgres:MaxPoolSize", "12")));

        Assert.Equal((7, 7), (new NpgsqlConnectionStringBuilder(own.SiloPostgresConnection()).MaxPoolSize, new NpgsqlConnectionStringBuilder(own.GatewayPostgresConnection()).MaxPoolSize));
        Assert.Equal(12, new NpgsqlConnectionStringBuilder(overridden.SiloPostgresConnection()).MaxPoolSize);
        Assert.Equal(ClusterProfile.DefaultSiloPoolSize, new NpgsqlConnectionStringBuilder(ClusterProfile.From(Configuration(
            ("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection))).SiloPostgresConnection()).MaxPoolSize);
    }

    [Fact]
    public void Kubernetes_hosting_is_off_unless_set_and_then_only_for_a_cluster_on_PostgreSQL()
    {
        Assert.False(ClusterProfile.From(Configuration(("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection))).Kubernetes);
        Assert.True(ClusterProfile.From(Configuration(("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection), ("Orleans:Kubernetes", "true"))).Kubernetes);

        var error = Assert.Throws<InvalidOperationException>(() => ClusterProfile.From(Configuration(("Orleans:Kubernetes", "true"))));
        Assert.Contains("Orleans:Kubernetes needs Sessions:Storage=Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_Kubernetes_the_pod_IP_is_advertised_unless_an_address_is_configured()
    {
        (string, string)[] cluster = [("Sessions:Storage", "Postgres"), ("ConnectionStrings:Postgres", Connection), ("POD_IP", "10.244.0.9")];

        Assert.Equal(IPAddress.Parse("10.244.0.9"), ClusterProfile.From(Configuration([.. cluster, ("Orleans:Kubernetes", "true")])).AdvertisedIPAddress);
        Assert.Equal(IPAddress.Loopback, ClusterProfile.From(Configuration([.. cluster, ("Orleans:Kubernetes", "true"), ("Orleans:AdvertisedIPAddress", "127.0.0.1")])).AdvertisedIPAddress);
        Assert.Null(ClusterProfile.From(Configuration(cluster)).AdvertisedIPAddress);
        var error = Assert.Throws<InvalidOperationException>(() => ClusterProfile.From(Configuration([.. cluster[..2], ("Orleans:Kubernetes", "true"), ("POD_IP", "pod")])));
        Assert.Contains("POD_IP 'pod' is not an IP address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Sessions:Storage", "Redis", "Sessions:Storage 'Redis' is not supported")]
    [InlineData("Orleans:AdvertisedIPAddress", "not-an-address", "Orleans:AdvertisedIPAddress")]
    [InlineData("Sessions:Postgres:GrainStorage", "Redis", "Sessions:Postgres:GrainStorage 'Redis' is not supported")]
    public void A_setting_that_cannot_work_is_refused_by_name(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterProfile.From(Configuration((key, value))));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused_saying_what_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ClusterProfile.From(Configuration(("Sessions:Storage", "Postgres"))));

        Assert.Contains("ConnectionStrings:Postgres", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
