using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Orleans.Sessions.Storage.Postgres;

/// <summary>The PostgreSQL connection settings shared by clustering and grain storage.</summary>
public static class PostgresConnection
{
    /// <summary>The ADO.NET invariant name under which Orleans loads Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// Connections per process unless the connection string or <c>Sessions:Postgres:MaxPoolSize</c> says
    /// otherwise: three silos and two gateways stay under PostgreSQL's default <c>max_connections</c> (100).
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary><c>ConnectionStrings:Postgres</c>, with the pool bounded.</summary>
    public static string FromConfiguration(IConfiguration configuration)
    {
        var raw = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(raw))
        {
            throw new InvalidOperationException("ConnectionStrings:Postgres is required when Sessions:Storage is Postgres (e.g. ConnectionStrings__Postgres=\"Host=db;Username=sessions;Password=…;Database=sessions\").");
        }

        var builder = new NpgsqlConnectionStringBuilder(raw);
        if (configuration.GetValue<int?>("Sessions:Postgres:MaxPoolSize") is { } configured)
        {
            builder.MaxPoolSize = configured;
        }
        else if (!raw.Contains("pool size", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        return builder.ConnectionString;
    }

    /// <summary>Whether the configuration selects the cluster profile (<c>Sessions:Storage=Postgres</c>).</summary>
    public static bool IsSelected(IConfiguration configuration) =>
        string.Equals(configuration["Sessions:Storage"], "Postgres", StringComparison.OrdinalIgnoreCase);
}
