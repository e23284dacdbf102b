using System.Net;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Orleans.Sessions.Hosting;

/// <summary>Where grain state and cluster membership live.</summary>
public enum StorageKind
{
    /// <summary>The embedded single node: localhost clustering, SQLite in <c>Sessions:DataDirectory</c>.</summary>
    Sqlite = 0,

    /// <summary>A cluster: ADO.NET clustering and grain storage on PostgreSQL (<c>ConnectionStrings:Postgres</c>).</summary>
    Postgres = 1,
}

/// <summary>Which grain storage a cluster's silos write to PostgreSQL with (<c>Sessions:Postgres:GrainStorage</c>).</summary>
public enum PostgresGrainStorageKind
{
    /// <summary>The project's own: a row per session, events in the same transaction, group commit (the default).</summary>
    Sessions = 0,

    /// <summary>Orleans' ADO.NET grain storage: the user's whole state in one row, one transaction a write.</summary>
    AdoNet = 1,
}

/// <summary>
/// The cluster profile, read once from configuration for every host (silo, gateway, <c>migrate</c>): the
/// cluster's identity, the storage kind, the PostgreSQL connection and pool, the Orleans endpoints. No host
/// reads these keys itself. Keys: <c>Orleans:ServiceId</c>, <c>Orleans:ClusterId</c>, <c>Orleans:SiloPort</c>,
/// <c>Orleans:GatewayPort</c>, <c>Orleans:AdvertisedIPAddress</c>, <c>Orleans:ListenOnAnyHostAddress</c>,
/// <c>Orleans:GatewayListRefreshPeriod</c>, <c>Orleans:Kubernetes</c>, <c>Sessions:Storage</c>, <c>ConnectionStrings:Postgres</c>,
/// <c>Sessions:Postgres:MaxPoolSize</c>, <c>Sessions:Postgres:GrainStorage</c> (docs/operations.md). Finer Orleans settings (<c>Orleans:Membership</c>) are
/// bound by the silo host to Orleans' own options.
/// </summary>
public sealed record ClusterProfile
{
    /// <summary>Connections per silo unless the connection string or <c>Sessions:Postgres:MaxPoolSize</c> says otherwise.</summary>
    public const int DefaultSiloPoolSize = 20;

    /// <summary>A gateway only reads the gateway list: a handful of connections is plenty.</summary>
    public const int DefaultGatewayPoolSize = 4;

    /// <summary>The ADO.NET invariant name under which Orleans' providers load Npgsql.</summary>
    public const string PostgresInvariant = "Npgsql";

    /// <summary>The pod's IP, given by the downward API under the name Orleans' Kubernetes hosting reads.</summary>
    public const string PodIPVariable = "POD_IP";

    public string ServiceId { get; init; } = "orleans-sessions";

    public string ClusterId { get; init; } = "dev";

    public StorageKind Storage { get; init; } = StorageKind.Sqlite;

    /// <summary>With <see cref="StorageKind.Postgres"/>: the grain storage the silos write with.</summary>
    public PostgresGrainStorageKind PostgresGrainStorage { get; init; } = PostgresGrainStorageKind.Sessions;

    public int SiloPort { get; init; } = 11111;

    public int GatewayPort { get; init; } = 30000;

    /// <summary>
    /// The address other silos reach this one on: <c>Orleans:AdvertisedIPAddress</c>, else with Kubernetes hosting the
    /// pod's IP (<c>POD_IP</c>); null: the first IPv4 address of the machine.
    /// </summary>
    public IPAddress? AdvertisedIPAddress { get; init; }

    public bool ListenOnAnyHostAddress { get; init; }

    /// <summary>
    /// Whether silos run in Kubernetes pods with Orleans' Kubernetes hosting: the pod's name and IP (downward API) are the
    /// silo's name and advertised address, and silos watch their pods (docs/operations.md, "Kubernetes"). PostgreSQL
    /// stays the membership; only a cluster profile may set it. Orleans' own default address (the machine's first) is
    /// settled before Kubernetes hosting looks at <c>POD_IP</c>, so the profile takes <c>POD_IP</c> itself.
    /// </summary>
    public bool Kubernetes { get; init; }

    /// <summary>How often a gateway re-reads the silos' gateway list from PostgreSQL.</summary>
    public TimeSpan GatewayListRefreshPeriod { get; init; } = TimeSpan.FromSeconds(10);

    private string? PostgresConnectionString { get; init; }

    private int? PostgresMaxPoolSize { get; init; }

    /// <summary>The profile the configuration describes; a setting that cannot work is refused here, saying which.</summary>
    public static ClusterProfile From(IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        var storageName = configuration["Sessions:Storage"] ?? nameof(StorageKind.Sqlite);
        if (!Enum.TryParse<StorageKind>(storageName, ignoreCase: true, out var storage) || !Enum.IsDefined(storage))
        {
            throw new InvalidOperationException($"Sessions:Storage '{storageName}' is not supported; use 'Sqlite' (embedded) or 'Postgres' (cluster).");
        }

        var connectionString = configuration.GetConnectionString("Postgres");
        if (storage == StorageKind.Postgres && string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Postgres is required when Sessions:Storage is Postgres (e.g. ConnectionStrings__Postgres=\"Host=db;Username=sessions;Password=…;Database=sessions\").");
        }

        var grainStorageName = configuration["Sessions:Postgres:GrainStorage"] ?? nameof(PostgresGrainStorageKind.Sessions);
        if (!Enum.TryParse<PostgresGrainStorageKind>(grainStorageName, ignoreCase: true, out var grainStorage) || !Enum.IsDefined(grainStorage))
        {
            throw new InvalidOperationException($"Sessions:Postgres:GrainStorage '{grainStorageName}' is not supported; use 'Sessions' (the project's own, default) or 'AdoNet' (Orleans' ADO.NET grain storage).");
        }

        IPAddress? advertised = null;
        if (orleans["AdvertisedIPAddress"] is { Length: > 0 } advertisedText && !IPAddress.TryParse(advertisedText, out advertised))
        {
            throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{advertisedText}' is not an IP address.");
        }

        var kubernetes = orleans.GetValue("Kubernetes", false);
        if (kubernetes && storage != StorageKind.Postgres)
        {
            throw new InvalidOperationException("Orleans:Kubernetes needs Sessions:Storage=Postgres: Kubernetes hosting gives silos their pod's identity, and a cluster's membership lives in PostgreSQL.");
        }

        if (kubernetes && advertised is null && configuration[PodIPVariable] is { Length: > 0 } podIP && !IPAddress.TryParse(podIP, out advertised))
        {
            throw new InvalidOperationException($"{PodIPVariable} '{podIP}' is not an IP address (give it the pod's status.podIP).");
        }

        var defaults = new ClusterProfile();
        return new ClusterProfile
        {
            ServiceId = orleans["ServiceId"] ?? defaults.ServiceId,
            ClusterId = orleans["ClusterId"] ?? defaults.ClusterId,
            Storage = storage,
            PostgresGrainStorage = grainStorage,
            SiloPort = orleans.GetValue("SiloPort", defaults.SiloPort),
            GatewayPort = orleans.GetValue("GatewayPort", defaults.GatewayPort),
            AdvertisedIPAddress = advertised,
            ListenOnAnyHostAddress = orleans.GetValue("ListenOnAnyHostAddress", defaults.ListenOnAnyHostAddress),
            GatewayListRefreshPeriod = orleans.GetValue("GatewayListRefreshPeriod", defaults.GatewayListRefreshPeriod),
            Kubernetes = kubernetes,
            PostgresConnectionString = connectionString,
            PostgresMaxPoolSize = configuration.GetValue<int?>("Sessions:Postgres:MaxPoolSize"),
        };
    }

    /// <summary>
    /// A silo's <c>ConnectionStrings:Postgres</c> with its pool bounded: <c>Sessions:Postgres:MaxPoolSize</c>, else the
    /// connection string's own, else <see cref="DefaultSiloPoolSize"/> — so three silos and two gateways stay under
    /// PostgreSQL's default <c>max_connections</c> (100) while Npgsql's own default is 100 a process.
    /// </summary>
    public string SiloPostgresConnection() => PostgresConnection(PostgresMaxPoolSize ?? DefaultSiloPoolSize, PostgresMaxPoolSize is not null);

    /// <summary>
    /// A gateway's: the connection string's own pool size, else <see cref="DefaultGatewayPoolSize"/>
    /// (<c>Sessions:Postgres:MaxPoolSize</c> sizes silos, not gateways).
    /// </summary>
    public string GatewayPostgresConnection() => PostgresConnection(DefaultGatewayPoolSize, overrideConnectionString: false);

    private string PostgresConnection(int poolSize, bool overrideConnectionString)
    {
        if (string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Postgres is required for PostgreSQL (e.g. ConnectionStrings__Postgres=\"Host=db;Username=sessions;Password=…;Database=sessions\").");
        }

        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString);
        if (overrideConnectionString || !PostgresConnectionString.Contains("pool size", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = poolSize;
        }

        return builder.ConnectionString;
    }
}
