using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace Orleans.Sessions.Events;

/// <summary>
/// The event log of a cluster: the table <c>sessions_event_log</c> (silo-config/sql/0002), filled by the grain state
/// write itself. Rows are read in (transaction id, row number) order and only below every transaction still running,
/// so a commit that was slow to finish never lands behind a position a consumer already has (docs/events.md, "The log").
/// The transaction id is selected as text under another name: an output column named <c>txid</c> would be what
/// <c>ORDER BY txid</c> sorts by, in text order.
/// </summary>
public sealed class PostgresEventLog(string connectionString, IOptions<ClusterOptions> cluster) : IEventLog
{
    public async Task<IReadOnlyList<(EventPosition Position, byte[] Payload)>> ReadAsync(string tenant, EventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT txid::text AS transaction_id, position, payload FROM sessions_event_log
             WHERE serviceid = $1 AND tenant = $2
               AND (txid, position) > ($3::text::xid8, $4)
               AND txid < pg_snapshot_xmin(pg_current_snapshot())
               AND ($5::text IS NULL OR type = $5) AND ($6::text IS NULL OR user_id = $6)
             ORDER BY txid, position
             LIMIT $7
            """, connection);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(query.After.Transaction.ToString(CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue(query.After.Row);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = query.Type?.Name(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = query.UserId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue(query.Limit);
        var rows = new List<(EventPosition, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var transaction = ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
            rows.Add((new EventPosition(transaction, reader.GetInt64(1)), (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<(EventPosition Position, byte[] Payload)>> FindAsync(string tenant, EventSelection selection, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT txid::text AS transaction_id, position, payload FROM sessions_event_log
             WHERE serviceid = $1 AND tenant = $2 AND ($3::text IS NULL OR event_id = $3)
               AND ($4::timestamptz IS NULL OR occurred_at >= $4) AND ($5::timestamptz IS NULL OR occurred_at < $5)
             ORDER BY txid, position
             LIMIT $6
            """, connection);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = selection.EventId, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = selection.From, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = selection.Until, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.AddWithValue(selection.Limit);
        var rows = new List<(EventPosition, byte[])>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new EventPosition(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1)), (byte[])reader.GetValue(2)));
        }

        return rows;
    }

    public async Task<EventPosition> EndAsync(string tenant, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT txid::text AS transaction_id, position FROM sessions_event_log
             WHERE serviceid = $1 AND tenant = $2 AND txid < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY txid DESC, position DESC
             LIMIT 1
            """, connection);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(tenant);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new EventPosition(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1))
            : EventPosition.Start;
    }

    public Task<int> TrimAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken) =>
        Storage.OldestRows.DeleteAsync(connectionString, cluster.Value.ServiceId, "sessions_event_log", "event_id", before, batch, cancellationToken);
}
