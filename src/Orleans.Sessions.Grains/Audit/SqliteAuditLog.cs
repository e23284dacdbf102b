using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Storage;
using Orleans.Storage;

namespace Orleans.Sessions.Audit;

/// <summary>
/// The audit history of the embedded single node: the <c>session_audit</c> table of the SQLite file, which a trigger on
/// <c>session_events</c> fills with every ending (schema in <see cref="SqliteStateStore"/>). Read, appended to and
/// trimmed on connections of its own; a write waits for the group-commit writer like any other writer would.
/// </summary>
public sealed class SqliteAuditLog([FromKeyedServices(SessionsStorage.Name)] IGrainStorage storage) : IAuditLog
{
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(string tenant, AuditQuery query, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(Store.ReadConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {AuditRows.Columns} FROM session_audit
             WHERE tenant = $tenant AND ($before IS NULL OR position < $before)
               AND ($user IS NULL OR user_id = $user) AND ($actor IS NULL OR actor = $actor) AND ($kind IS NULL OR kind = $kind)
               AND ($since IS NULL OR occurred_at >= $since) AND ($until IS NULL OR occurred_at < $until)
             ORDER BY position DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$tenant", tenant);
        command.Parameters.AddWithValue("$before", (object?)query.Before ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", (object?)query.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$actor", (object?)query.Actor ?? DBNull.Value);
        command.Parameters.AddWithValue("$kind", (object?)query.Kind ?? DBNull.Value);
        command.Parameters.AddWithValue("$since", (object?)query.Since?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$until", (object?)query.Until?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await AuditRows.ReadAsync(reader, tenant, (row, column) => DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(column)), cancellationToken);
    }

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await OpenWriterAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO session_audit (entry_id, tenant, occurred_at, kind, actor, user_id, session_id, reason, operation, target)
            VALUES ($id, $tenant, $at, $kind, $actor, $user, $session, $reason, $operation, $target)
            """;
        command.Parameters.AddWithValue("$id", entry.Id);
        command.Parameters.AddWithValue("$tenant", entry.Tenant);
        command.Parameters.AddWithValue("$at", entry.OccurredAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$kind", entry.Kind);
        command.Parameters.AddWithValue("$actor", entry.Actor);
        command.Parameters.AddWithValue("$user", (object?)entry.UserId ?? DBNull.Value);
        command.Parameters.AddWithValue("$session", (object?)entry.SessionId ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", (object?)entry.Reason ?? DBNull.Value);
        command.Parameters.AddWithValue("$operation", (object?)entry.Operation ?? DBNull.Value);
        command.Parameters.AddWithValue("$target", (object?)entry.Target ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<int> TrimAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken) =>
        OldestRows.DeleteAsync(Store, "session_audit", before, batch, cancellationToken);

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(Store.ReadConnectionString) { Mode = SqliteOpenMode.ReadWrite }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private SqliteStateStore Store =>
        (storage as SqliteGrainStorage)?.StartedStore ?? throw new InvalidOperationException("The SQLite grain storage has not started.");
}
