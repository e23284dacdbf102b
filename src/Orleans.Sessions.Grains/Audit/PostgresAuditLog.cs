using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace Orleans.Sessions.Audit;

/// <summary>
/// The audit history of a cluster: the table <c>sessions_audit</c> (silo-config/sql/0004), which a trigger on the
/// event log fills with every ending in the transaction of its event.
/// </summary>
public sealed class PostgresAuditLog(string connectionString, IOptions<ClusterOptions> cluster) : IAuditLog
{
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string tenant, AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {AuditRows.Columns} FROM sessions_audit
             WHERE serviceid = $1 AND tenant = $2 AND ($3::bigint IS NULL OR position < $3)
               AND ($4::text IS NULL OR user_id = $4) AND ($5::text IS NULL OR actor = $5) AND ($6::text IS NULL OR kind = $6)
               AND ($7::timestamptz IS NULL OR occurred_at >= $7) AND ($8::timestamptz IS NULL OR occurred_at < $8)
             ORDER BY position DESC LIMIT $9
            """, connection);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = query.Before, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(Text(query.UserId));
        command.Parameters.Add(Text(query.Actor));
        command.Parameters.Add(Text(query.Kind));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = query.Since, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset?> { TypedValue = query.Until, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.AddWithValue(query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditRows.ReadAsync(reader, tenant, (row, column) => row.GetFieldValue<DateTimeOffset>(column), cancellationToken);
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO sessions_audit (serviceid, tenant, entry_id, occurred_at, kind, actor, user_id, session_id, reason, operation, target)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (serviceid, entry_id) DO NOTHING
            """, connection);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(entry.Tenant);
        command.Parameters.AddWithValue(entry.Id);
        command.Parameters.AddWithValue(entry.OccurredAt);
        command.Parameters.AddWithValue(entry.Kind);
        command.Parameters.AddWithValue(entry.Actor);
        command.Parameters.Add(Text(entry.UserId));
        command.Parameters.Add(Text(entry.SessionId));
        command.Parameters.Add(Text(entry.Reason));
        command.Parameters.Add(Text(entry.Operation));
        command.Parameters.Add(Text(entry.Target));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<int> TrimAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken) =>
        Storage.OldestRows.DeleteAsync(connectionString, cluster.Value.ServiceId, "sessions_audit", "entry_id", before, batch, cancellationToken);

    private static NpgsqlParameter<string?> Text(string? value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };
}
