using Orleans.Sessions.Storage;

namespace Orleans.Sessions.Audit;

/// <summary>
/// Where the audit history is stored (docs/audit.md): SQLite's <c>session_audit</c> or PostgreSQL's
/// <c>sessions_audit</c>. A session's ending is entered by the database itself, in the transaction that stores the
/// ending's event (a trigger on the event log), so no acknowledged ending lacks its entry; administrative changes are
/// appended here before they are answered.
/// </summary>
public interface IAuditLog : IRetainedStore
{
    /// <summary>The tenant's entries <paramref name="query"/> selects, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAsync(string tenant, AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="entry"/> (its position is the store's); an entry whose id is stored already is skipped.</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);
}
