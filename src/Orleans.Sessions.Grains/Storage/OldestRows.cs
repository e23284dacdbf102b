using Microsoft.Data.Sqlite;
using Npgsql;

namespace Orleans.Sessions.Storage;

/// <summary>
/// The delete both retained tables (the event log, the audit history) trim with: at most a batch of the rows whose
/// <c>occurred_at</c> is before a time, oldest first, on a connection of its own.
/// </summary>
internal static class OldestRows
{
    /// <summary>A PostgreSQL table of this service's rows, keyed by <c>(serviceid, <paramref name="idColumn"/>)</c>.</summary>
    public static async Task<int> DeleteAsync(
        string connectionString, string serviceId, string table, string idColumn, DateTimeOffset before, int batch, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            DELETE FROM {table}
             WHERE (serviceid, {idColumn}) IN (
                   SELECT serviceid, {idColumn} FROM {table}
                    WHERE serviceid = $1 AND occurred_at < $2
                    ORDER BY occurred_at LIMIT $3)
            """, connection);
        command.Parameters.AddWithValue(serviceId);
        command.Parameters.AddWithValue(before);
        command.Parameters.AddWithValue(batch);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A SQLite table keyed by <c>position</c>, its times in Unix milliseconds, in the file the store reads.</summary>
    public static async Task<int> DeleteAsync(SqliteStateStore store, string table, DateTimeOffset before, int batch, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(store.ReadConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {table} WHERE position IN (SELECT position FROM {table} WHERE occurred_at < $before ORDER BY occurred_at LIMIT $batch)";
        command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$batch", batch);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
