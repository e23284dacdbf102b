using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Storage;
using Orleans.Storage;

namespace Orleans.Sessions.Events;

/// <summary>
/// The event log of the embedded single node: the <c>session_events</c> table of the SQLite file, filled by the
/// group-commit writer in the transactions of the state writes. One writer commits in order, so the row number is
/// the order. Read and trimmed on reader connections; a trim waits for the writer like any other writer would.
/// </summary>
public sealed class SqliteEventLog([FromKeyedServices(SessionsStorage.Name)] IGrainStorage storage) : IEventLog
{
    public async Task<IReadOnlyList<(EventPosition Position, byte[] Payload)>> ReadAsync(string tenant, EventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(Store.ReadConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT position, payload FROM session_events
             WHERE tenant = $tenant AND position > $after
               AND ($type IS NULL OR type = $type) AND ($user IS NULL OR user_id = $user)
             ORDER BY position LIMIT $limit
            """;
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$after", query.After.Row);
        command.Parameters.AddWithValue("$type", (object?)query.Type?.Name() ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)query.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        var rows = new List<(EventPosition, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new EventPosition(0, reader.GetInt64(0)), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<(EventPosition Position, byte[] Payload)>> FindAsync(string tenant, EventSelection selection, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(Store.ReadConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT position, payload FROM session_events
             WHERE tenant = $tenant AND ($id IS NULL OR event_id = $id)
               AND ($from IS NULL OR occurred_at >= $from) AND ($until IS NULL OR occurred_at < $until)
             ORDER BY position LIMIT $limit
            """;
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$id", (object?)selection.EventId ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", (object?)selection.From?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$until", (object?)selection.Until?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", selection.Limit);
        var rows = new List<(EventPosition, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new EventPosition(0, reader.GetInt64(0)), (byte[])reader.GetValue(1)));
        }

        return rows;
    }

    public async Task<EventPosition> EndAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(Store.ReadConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT max(position) FROM session_events WHERE tenant = $tenant";
        command.Parameters.AddWithValue("$tenant", tenant);
        return await command.ExecuteScalarAsync(cancellationToken) is long row ? new EventPosition(0, row) : EventPosition.Start;
    }

    public Task<int> TrimAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken) =>
        OldestRows.DeleteAsync(Store, "session_events", before, batch, cancellationToken);

    private SqliteStateStore Store =>
        (storage as SqliteGrainStorage)?.StartedStore ?? throw new InvalidOperationException("The SQLite grain storage has not started.");
}
