using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans.Sessions.Events;
using Microsoft.Data.Sqlite;

namespace Orleans.Sessions.Storage;

/// <summary>
/// Versioned key/value rows in one SQLite file in WAL mode, written with group commit: a single writer
/// thread drains every write that is waiting, applies them in one transaction with one fsync, and only
/// then completes them. Under load many writes share each commit, so durable writes are not capped at
/// one fsync each. Reads use their own pooled connections and never wait for the writer.
/// </summary>
public sealed class SqliteStateStore : IDisposable
{
    private readonly SqliteStateStoreOptions _options;
    private readonly StorageMetrics? _metrics;
    private readonly string _readConnectionString;
    private readonly BlockingCollection<PendingWrite> _queue = new();
    private readonly SqliteConnection _writer;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _probe;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _upsertPart;
    private readonly SqliteCommand _deleteParts;
    private readonly SqliteCommand _deletePartsBefore;
    private readonly Thread _writerThread;
    private long _commits;
    private long _writes;
    private Exception? _lastCommitFailure;
    private int _disposed;

    public SqliteStateStore(SqliteStateStoreOptions options, StorageMetrics? metrics = null)
    {
        _options = options;
        _metrics = metrics;
        var path = options.DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false };
        _writer = new SqliteConnection(builder.ConnectionString);
        _writer.Open();
        Execute(_writer, $"""
            PRAGMA page_size = {options.PageSize};
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = {(options.SyncToDisk ? "FULL" : "NORMAL")};
            PRAGMA busy_timeout = 10000;
            CREATE TABLE IF NOT EXISTS grain_state (
                state_key  TEXT    NOT NULL PRIMARY KEY,
                version    INTEGER NOT NULL,
                payload    BLOB,
                updated_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS grain_state_parts (
                state_key TEXT NOT NULL,
                part_key  TEXT NOT NULL,
                payload   BLOB NOT NULL,
                PRIMARY KEY (state_key, part_key)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS session_events (
                position    INTEGER PRIMARY KEY AUTOINCREMENT,
                event_id    TEXT    NOT NULL UNIQUE,
                tenant      TEXT    NOT NULL,
                user_id     TEXT    NOT NULL,
                session_id  TEXT    NOT NULL,
                type        TEXT    NOT NULL,
                occurred_at INTEGER NOT NULL,
                payload     BLOB    NOT NULL
            );
            CREATE INDEX IF NOT EXISTS session_events_by_tenant ON session_events (tenant, position);
            CREATE INDEX IF NOT EXISTS session_events_by_time ON session_events (occurred_at);
            {SqliteAuditSchema}
            """);

        _insert = Prepare("INSERT INTO grain_state (state_key, version, payload, updated_at) VALUES ($key, 1, $payload, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) ON CONFLICT (state_key) DO NOTHING");
        _update = Prepare("UPDATE grain_state SET version = version + 1, payload = $payload, updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE state_key = $key AND version = $expected");
        _delete = Prepare("UPDATE grain_state SET version = version + 1, payload = NULL, updated_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) WHERE state_key = $key AND version = $expected");
        _probe = Prepare("INSERT INTO grain_state (state_key, version, payload, updated_at) VALUES ($key, 1, $payload, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)) ON CONFLICT (state_key) DO UPDATE SET version = version + 1, payload = excluded.payload, updated_at = excluded.updated_at");

        _insertEvent = _writer.CreateCommand();
        _insertEvent.CommandText = "INSERT INTO session_events (event_id, tenant, user_id, session_id, type, occurred_at, payload) VALUES ($id, $tenant, $user, $session, $type, $at, $payload) ON CONFLICT (event_id) DO NOTHING";
        foreach (var name in new[] { "$id", "$tenant", "$user", "$session", "$type" })
        {
            _insertEvent.Parameters.Add(name, SqliteType.Text);
        }

        _insertEvent.Parameters.Add("$at", SqliteType.Integer);
        _insertEvent.Parameters.Add("$payload", SqliteType.Blob);

        _upsertPart = Prepare("INSERT INTO grain_state_parts (state_key, part_key, payload) VALUES ($key, $part, $payload) ON CONFLICT (state_key, part_key) DO UPDATE SET payload = excluded.payload");
        _deleteParts = Prepare("DELETE FROM grain_state_parts WHERE state_key = $key");
        _deletePartsBefore = Prepare("DELETE FROM grain_state_parts WHERE state_key = $key AND part_key < $part");

        _readConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
            DefaultTimeout = 10,
        }.ConnectionString;

        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = "sqlite-group-commit" };
        _writerThread.Start();
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Volatile.Read(ref _commits);

    /// <summary>Writes (inserts, updates, deletes) committed so far.</summary>
    public long Writes => Volatile.Read(ref _writes);

    public string DatabasePath => _options.DatabasePath;

    /// <summary>Why the latest commit failed (a full or read-only disk…), or null when it succeeded.</summary>
    public Exception? LastCommitFailure => Volatile.Read(ref _lastCommitFailure);

    /// <summary>A cheap read on a reader connection: the file opens and its table answers.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM grain_state LIMIT 1";
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<StoredRow?> ReadAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, payload FROM grain_state WHERE state_key = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1));
    }

    /// <summary>The row under <paramref name="key"/> (<see cref="ReadAsync"/>) and its parts' payloads in part-key order.</summary>
    public async Task<(StoredRow? Row, List<byte[]> Parts)> ReadWithPartsAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        // One snapshot for both: a write between the two reads cannot pair a head with another version's parts.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT version, payload FROM grain_state WHERE state_key = $key;
            SELECT payload FROM grain_state_parts WHERE state_key = $key ORDER BY part_key;
            """;
        command.Parameters.AddWithValue("$key", key);
        StoredRow? row = null;
        var parts = new List<byte[]>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                row = new StoredRow(reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1));
            }

            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                parts.Add((byte[])reader.GetValue(0));
            }
        }

        return (row, parts);
    }

    /// <summary>The keys with a payload (not deleted) that start with <paramref name="prefix"/>, in key order.</summary>
    public async Task<List<string>> ReadKeysAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT state_key FROM grain_state WHERE state_key >= $low AND state_key < $high AND payload IS NOT NULL ORDER BY state_key";
        command.Parameters.AddWithValue("$low", prefix);
        command.Parameters.AddWithValue("$high", prefix + char.MaxValue);
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>
    /// Stores <paramref name="payload"/> under <paramref name="key"/> if the stored version is
    /// <paramref name="expectedVersion"/> (null: no row yet), and <paramref name="events"/> into the event log in the same
    /// transaction (docs/events.md, "The outbox"): both or neither. Completes once the write is on disk. With
    /// <paramref name="parts"/>, the row's part rows change as it says, in the same transaction.
    /// </summary>
    /// <returns>The new version.</returns>
    /// <exception cref="VersionConflictException">The stored version is another.</exception>
    public Task<long> WriteAsync(string key, byte[] payload, long? expectedVersion, IReadOnlyList<EventRow>? events = null, PartsDelta? parts = null) =>
        Enqueue(new PendingWrite(key, payload, expectedVersion) { Events = events, Parts = parts });

    /// <summary>The file's connection string for readers of its other tables (the event log).</summary>
    /// <summary>
    /// The audit history (docs/audit.md): its table, and the trigger that enters each ending into it as its event is
    /// stored — in the same transaction, so an acknowledged ending always has its entry. A file of an earlier version
    /// gets both at its next start (the trigger is made again at every start, so it is always this version's); endings
    /// before that are not in the history.
    /// </summary>
    private const string SqliteAuditSchema = """
        CREATE TABLE IF NOT EXISTS session_audit (
            position    INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_id    TEXT    NOT NULL UNIQUE,
            tenant      TEXT    NOT NULL,
            occurred_at INTEGER NOT NULL,
            kind        TEXT    NOT NULL,
            actor       TEXT    NOT NULL,
            user_id     TEXT,
            session_id  TEXT,
            reason      TEXT,
            operation   TEXT,
            target      TEXT
        );
        CREATE INDEX IF NOT EXISTS session_audit_by_tenant ON session_audit (tenant, position);
        CREATE INDEX IF NOT EXISTS session_audit_by_user ON session_audit (tenant, user_id, position);
        CREATE INDEX IF NOT EXISTS session_audit_by_time ON session_audit (occurred_at);
        DROP TRIGGER IF EXISTS session_audit_endings;
        CREATE TRIGGER session_audit_endings AFTER INSERT ON session_events
          WHEN NEW.type IN ('session.ended', 'session.revoked', 'session.evicted', 'session.expired')
        BEGIN
          INSERT OR IGNORE INTO session_audit (entry_id, tenant, occurred_at, kind, actor, user_id, session_id, reason, target)
          VALUES (NEW.event_id, NEW.tenant, NEW.occurred_at,
                  CASE NEW.type WHEN 'session.ended' THEN 'sign-out'
                                WHEN 'session.revoked' THEN coalesce(json_extract(CAST(NEW.payload AS TEXT), '$.data.end.operation'), 'revoke')
                                WHEN 'session.evicted' THEN 'eviction'
                                ELSE 'expiry' END,
                  coalesce(json_extract(CAST(NEW.payload AS TEXT), '$.data.end.by'), 'system'),
                  NEW.user_id, NEW.session_id,
                  CASE NEW.type WHEN 'session.expired'
                       THEN CASE WHEN json_extract(CAST(NEW.payload AS TEXT), '$.data.endedAt') = json_extract(CAST(NEW.payload AS TEXT), '$.data.expiresAt')
                                 THEN 'lifetime' ELSE 'idle-timeout' END
                       ELSE json_extract(CAST(NEW.payload AS TEXT), '$.data.end.reason') END,
                  'jobs/' || json_extract(CAST(NEW.payload AS TEXT), '$.data.end.jobId'));
        END;
        """;

    public string ReadConnectionString => _readConnectionString;

    /// <summary>
    /// Deletes the payload and the parts if the stored version is <paramref name="expectedVersion"/>, leaving a tombstone
    /// with the next version; with null expected, there must be no row and nothing happens.
    /// </summary>
    /// <returns>The tombstone's version, or null when there was nothing to delete.</returns>
    public async Task<long?> DeleteAsync(string key, long? expectedVersion)
    {
        var version = await Enqueue(new PendingWrite(key, null, expectedVersion));
        return version == 0 ? null : version;
    }

    /// <summary>
    /// A real write of a row of its own (<see cref="ProbeKey"/>) through the group-commit writer: it fails while
    /// commits fail, and its success clears <see cref="LastCommitFailure"/>. Readiness uses it after a failure.
    /// </summary>
    public Task ProbeWriteAsync() => Enqueue(new PendingWrite(ProbeKey, BitConverter.GetBytes(Environment.TickCount64), null, probe: true));

    /// <summary>The key of the row <see cref="ProbeWriteAsync"/> writes; no grain state has it.</summary>
    public const string ProbeKey = "sessions-health|probe";

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Writes already queued are committed before the writer stops.
        _queue.CompleteAdding();
        _writerThread.Join();
        _insert.Dispose();
        _probe.Dispose();
        _insertEvent.Dispose();
        _upsertPart.Dispose();
        _deleteParts.Dispose();
        _deletePartsBefore.Dispose();
        _update.Dispose();
        _delete.Dispose();
        _writer.Dispose();
        _queue.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_readConnectionString));
    }

    private Task<long> Enqueue(PendingWrite write)
    {
        try
        {
            _queue.Add(write);
        }
        catch (InvalidOperationException)
        {
            throw new ObjectDisposedException(nameof(SqliteStateStore), "The SQLite state store is shut down.");
        }

        return write.Completion.Task;
    }

    private void WriterLoop()
    {
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        while (!_queue.IsCompleted)
        {
            if (!_queue.TryTake(out var first, Timeout.Infinite))
            {
                continue;
            }

            batch.Add(first);
            while (batch.Count < _options.MaxBatchSize && _queue.TryTake(out var next))
            {
                batch.Add(next);
            }

            Commit(batch);
            batch.Clear();
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var results = new (long Version, bool Conflict)[batch.Count];
        try
        {
            using (var transaction = _writer.BeginTransaction(deferred: false))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = Apply(batch[i], transaction);
                }

                transaction.Commit();
            }
        }
        catch (Exception exception)
        {
            Volatile.Write(ref _lastCommitFailure, exception);
            foreach (var write in batch)
            {
                write.Completion.TrySetException(exception);
            }

            return;
        }

        Volatile.Write(ref _lastCommitFailure, null);

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, batch.Count);
        _metrics?.Committed("sqlite", started, batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var write = batch[i];
            if (results[i].Conflict)
            {
                write.Completion.TrySetException(new VersionConflictException(write.Key, write.ExpectedVersion));
            }
            else
            {
                write.Completion.TrySetResult(results[i].Version);
            }
        }
    }

    private (long Version, bool Conflict) Apply(PendingWrite write, SqliteTransaction transaction)
    {
        if (write.Probe)
        {
            return (Run(_probe, transaction, write.Key, write.Payload, null), false);
        }

        if (write.Payload is null)
        {
            if (write.ExpectedVersion is not { } expectedDelete)
            {
                // Nothing stored was expected: deleting nothing is a no-op, but a row that exists is a conflict.
                return (0, RowExists(write.Key, transaction));
            }

            var deleted = Run(_delete, transaction, write.Key, null, expectedDelete) == 1;
            if (deleted)
            {
                Run(_deleteParts, transaction, write.Key, null, null);
            }

            return (expectedDelete + 1, !deleted);
        }

        var (version, conflict) = write.ExpectedVersion is not { } expected
            ? (1L, Run(_insert, transaction, write.Key, write.Payload, null) != 1)
            : (expected + 1, Run(_update, transaction, write.Key, write.Payload, expected) != 1);
        if (!conflict && write.Parts is { } parts)
        {
            WriteParts(write.Key, parts, transaction);
        }

        if (!conflict && write.Events is { } events)
        {
            InsertEvents(events, transaction);
        }

        return (version, conflict);
    }

    private void WriteParts(string key, PartsDelta parts, SqliteTransaction transaction)
    {
        if (parts.RemoveAll)
        {
            Run(_deleteParts, transaction, key, null, null);
        }
        else if (parts.RemoveBefore is { } before)
        {
            Run(_deletePartsBefore, transaction, key, null, null, before);
        }

        foreach (var part in parts.Upserts)
        {
            Run(_upsertPart, transaction, key, part.Payload, null, part.Key);
        }
    }

    private void InsertEvents(IReadOnlyList<EventRow> events, SqliteTransaction transaction)
    {
        _insertEvent.Transaction = transaction;
        var parameters = _insertEvent.Parameters;
        foreach (var row in events)
        {
            parameters["$id"].Value = row.EventId;
            parameters["$tenant"].Value = row.Tenant;
            parameters["$user"].Value = row.UserId;
            parameters["$session"].Value = row.SessionId;
            parameters["$type"].Value = row.Type;
            parameters["$at"].Value = row.OccurredAt.ToUnixTimeMilliseconds();
            parameters["$payload"].Value = row.Payload;
            _insertEvent.ExecuteNonQuery();
        }
    }

    private bool RowExists(string key, SqliteTransaction transaction)
    {
        using var command = _writer.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM grain_state WHERE state_key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is not null;
    }

    private static int Run(SqliteCommand command, SqliteTransaction transaction, string key, byte[]? payload, long? expected, string? part = null)
    {
        command.Transaction = transaction;
        command.Parameters["$key"].Value = key;
        if (command.Parameters.Contains("$part"))
        {
            command.Parameters["$part"].Value = part;
        }

        if (command.Parameters.Contains("$payload"))
        {
            command.Parameters["$payload"].Value = payload;
        }

        if (command.Parameters.Contains("$expected"))
        {
            command.Parameters["$expected"].Value = expected;
        }

        return command.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql)
    {
        var command = _writer.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$key", SqliteType.Text);
        if (sql.Contains("$payload", StringComparison.Ordinal))
        {
            command.Parameters.Add("$payload", SqliteType.Blob);
        }

        if (sql.Contains("$expected", StringComparison.Ordinal))
        {
            command.Parameters.Add("$expected", SqliteType.Integer);
        }

        if (sql.Contains("$part", StringComparison.Ordinal))
        {
            command.Parameters.Add("$part", SqliteType.Text);
        }

        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class PendingWrite(string key, byte[]? payload, long? expectedVersion, bool probe = false)
    {
        public bool Probe { get; } = probe;

        public string Key { get; } = key;

        public byte[]? Payload { get; } = payload;

        public long? ExpectedVersion { get; } = expectedVersion;

        /// <summary>Events committed with the write, when it does not conflict.</summary>
        public IReadOnlyList<EventRow>? Events { get; init; }

        /// <summary>Part rows changed with the write, when it does not conflict.</summary>
        public PartsDelta? Parts { get; init; }

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
