using System.Data.Common;

namespace Orleans.Sessions.Audit;

/// <summary>
/// Reads the audit tables' rows, in the column order both stores select:
/// <c>position, entry_id, occurred_at, kind, actor, user_id, session_id, reason, operation, target</c>.
/// </summary>
internal static class AuditRows
{
    public const string Columns = "position, entry_id, occurred_at, kind, actor, user_id, session_id, reason, operation, target";

    /// <summary>Every row of <paramref name="reader"/>; the store says how it keeps <c>occurred_at</c>.</summary>
    public static async Task<IReadOnlyList<AuditEntry>> ReadAsync(
        DbDataReader reader, string tenant, Func<DbDataReader, int, DateTimeOffset> time, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry
            {
                Position = reader.GetInt64(0),
                Id = reader.GetString(1),
                Tenant = tenant,
                OccurredAt = time(reader, 2),
                Kind = reader.GetString(3),
                Actor = reader.GetString(4),
                UserId = Text(reader, 5),
                SessionId = Text(reader, 6),
                Reason = Text(reader, 7),
                Operation = Text(reader, 8),
                Target = Text(reader, 9),
            });
        }

        return entries;
    }

    private static string? Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
}
