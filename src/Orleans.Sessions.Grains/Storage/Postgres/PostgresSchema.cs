using Microsoft.Extensions.Logging;
using Npgsql;

namespace Orleans.Sessions.Storage.Postgres;

/// <summary>
/// The project's PostgreSQL schema (<c>silo-config/sql/NNNN_*.sql</c>, embedded in this assembly) and its
/// migrator: each script runs once, in its own transaction, recorded in <c>sessions_schema_migrations</c>.
/// A session-level advisory lock makes concurrent migrators (two silos starting together) take turns,
/// so running it twice, or twice at once, is safe.
/// </summary>
public static partial class PostgresSchema
{
    /// <summary>An arbitrary constant that names the migration lock in <c>pg_advisory_lock</c>.</summary>
    private const long MigrationLockId = 0x5E55_1025_0001;

    /// <summary>The scripts in the order they apply: (version, SQL), the version being the file name without extension.</summary>
    public static IReadOnlyList<(string Version, string Sql)> Scripts { get; } = LoadScripts();

    /// <returns>The versions applied by this call (empty when the schema was already current).</returns>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLockId})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS sessions_schema_migrations (
                    version    text        PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var read = new NpgsqlCommand("SELECT version FROM sessions_schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetString(0));
                }
            }

            var done = new List<string>();
            foreach (var (version, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO sessions_schema_migrations (version) VALUES ($1)", connection, transaction))
                {
                    record.Parameters.AddWithValue(version);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, version);
                done.Add(version);
            }

            if (done.Count == 0)
            {
                LogCurrent(logger, Scripts[^1].Version);
            }

            return done;
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLockId})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(string, string)> LoadScripts()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var scripts = new List<(string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("sql/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add((Path.GetFileNameWithoutExtension(name), reader.ReadToEnd()));
        }

        return scripts.Count > 0 ? scripts : throw new InvalidOperationException("No schema scripts are embedded in " + assembly.GetName().Name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied PostgreSQL schema {Version}")]
    private static partial void LogApplied(ILogger logger, string version);

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema is current ({Version})")]
    private static partial void LogCurrent(ILogger logger, string version);
}
