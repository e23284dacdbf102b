using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Sessions.Storage.Postgres;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// A fresh database on the PostgreSQL that scripts/test.sh starts (SESSIONS_TEST_POSTGRES), dropped at the
/// end. Without that server the tests fail — they never skip.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string ServerVariable = "SESSIONS_TEST_POSTGRES";

    private readonly string _name = "sessions_test_" + Guid.NewGuid().ToString("N")[..12];
    private string _server = "";

    public string ConnectionString { get; private set; } = "";

    public static string Server =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set: these tests need PostgreSQL. Run them with ./scripts/test.sh, which starts one, "
                + $"or set {ServerVariable} to a connection string of a server where databases may be created.");

    public async ValueTask InitializeAsync()
    {
        _server = Server;
        await ExecuteOnServerAsync($"CREATE DATABASE {_name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = _name, MaxPoolSize = 10 }.ConnectionString;
    }

    /// <summary>Applies the project's schema with the migrator the silo's <c>migrate</c> command uses.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync() =>
        PostgresSchema.MigrateAsync(ConnectionString, NullLogger.Instance, TestContext.Current.CancellationToken);

    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    public async Task<List<T>> ColumnAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.AddWithValue(parameter);
        }

        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server.Length > 0)
        {
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
