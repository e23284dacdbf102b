using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Storage.Postgres;

/// <summary>
/// Versioned state rows with parts in the project's PostgreSQL schema (silo-config/sql/0003), written with group commit:
/// each of a few writers drains the writes that are waiting and sends them as one batch — one round trip, one
/// transaction, one WAL flush — and only then completes them. A write whose version is another changes nothing and
/// fails alone; a batch that fails as a whole (a dropped connection, a deadlock) is tried again one write at a time, so
/// one bad write never fails its neighbours.
/// </summary>
public sealed class PostgresStateStore : IAsyncDisposable
{
    private const string WriteSql = "SELECT sessions_write_state($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";

    private readonly string _connectionString;
    private readonly string _serviceId;
    private readonly PostgresStateStoreOptions _options;
    private readonly StorageMetrics? _metrics;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;
    private long _commits;
    private long _writes;
    private int _disposed;

    public PostgresStateStore(string connectionString, string serviceId, PostgresStateStoreOptions options, StorageMetrics? metrics = null)
    {
        _connectionString = connectionString;
        _serviceId = serviceId;
        _options = options;
        _metrics = metrics;
        _writers = [.. Enumerable.Range(0, options.Writers).Select(_ => Task.Run(WriterLoop))];
    }

    /// <summary>Transactions committed so far.</summary>
    public long Commits => Volatile.Read(ref _commits);

    /// <summary>Writes committed so far.</summary>
    public long Writes => Volatile.Read(ref _writes);

    /// <summary>The head row under <paramref name="key"/> and its parts' payloads in part-key order, read in one statement (one snapshot).</summary>
    public async Task<(StoredRow? Row, List<byte[]> Parts)> ReadWithPartsAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT 0 AS kind, version, payload, '' COLLATE "C" AS part_key FROM sessions_grain_state
             WHERE serviceid = $1 AND state_key = $2
            UNION ALL
            SELECT 1, NULL, payload, part_key FROM sessions_grain_state_parts
             WHERE serviceid = $1 AND state_key = $2
            ORDER BY kind, part_key
            """, connection);
        command.Parameters.AddWithValue(_serviceId);
        command.Parameters.AddWithValue(key);
        StoredRow? row = null;
        var parts = new List<byte[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetInt32(0) == 0)
            {
                row = new StoredRow(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2));
            }
            else
            {
                parts.Add(reader.GetFieldValue<byte[]>(2));
            }
        }

        return (row, row is null ? [] : parts);
    }

    /// <summary>
    /// Stores <paramref name="payload"/> under <paramref name="key"/> if the stored version is <paramref name="expectedVersion"/>
    /// (null: no row yet), with <paramref name="events"/> into the event log and <paramref name="parts"/> into the part rows
    /// in the same transaction: all or nothing. A null payload clears the row and its parts, keeping the row's version
    /// (a tombstone, written even where no row was). Completes once the transaction committed.
    /// </summary>
    /// <returns>The new version.</returns>
    /// <exception cref="VersionConflictException">The stored version is another.</exception>
    public Task<long> WriteAsync(string key, byte[]? payload, long? expectedVersion, IReadOnlyList<EventRow>? events = null, PartsDelta? parts = null)
    {
        var write = new PendingWrite(key, payload, expectedVersion, events, parts);
        return _queue.Writer.TryWrite(write)
            ? write.Completion.Task
            : Task.FromException<long>(new ObjectDisposedException(nameof(PostgresStateStore), "The PostgreSQL state store is shut down."));
    }

    /// <summary>Stops taking writes and waits for those already queued to commit.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriterLoop()
    {
        var reader = _queue.Reader;
        var batch = new List<PendingWrite>(_options.MaxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await CommitAsync(batch);
            }
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var write in batch)
                {
                    await CommitAloneAsync(write);
                }
            }
            catch (Exception exception)
            {
                batch[0].Completion.TrySetException(exception);
            }

            batch.Clear();
        }
    }

    private async Task CommitAloneAsync(PendingWrite write)
    {
        try
        {
            await CommitAsync([write]);
        }
        catch (Exception exception)
        {
            write.Completion.TrySetException(exception);
        }
    }

    /// <summary>
    /// One batch without BEGIN/COMMIT: PostgreSQL runs a batch's statements as one implicit transaction, committed
    /// after the last — one round trip for all of them.
    /// </summary>
    private async Task CommitAsync(List<PendingWrite> writes)
    {
        var started = Stopwatch.GetTimestamp();
        var versions = new long?[writes.Count];
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var batch = new NpgsqlBatch(connection);
            foreach (var write in writes)
            {
                batch.BatchCommands.Add(Command(write));
            }

            await using var reader = await batch.ExecuteReaderAsync();
            for (var i = 0; i < writes.Count; i++)
            {
                await reader.ReadAsync();
                versions[i] = reader.IsDBNull(0) ? null : reader.GetInt64(0);
                await reader.NextResultAsync();
            }
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, writes.Count);
        _metrics?.Committed("postgres", started, writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            if (versions[i] is { } version)
            {
                write.Completion.TrySetResult(version);
            }
            else
            {
                write.Completion.TrySetException(new VersionConflictException(write.Key, write.ExpectedVersion));
            }
        }
    }

    private NpgsqlBatchCommand Command(PendingWrite write)
    {
        var command = new NpgsqlBatchCommand(WriteSql);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Key });
        parameters.Add(new NpgsqlParameter<long?> { TypedValue = write.ExpectedVersion, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter<byte[]?> { TypedValue = write.Payload, NpgsqlDbType = NpgsqlDbType.Bytea });

        var parts = write.Parts;
        parameters.Add(new NpgsqlParameter<bool> { TypedValue = parts?.RemoveAll ?? false });
        parameters.Add(new NpgsqlParameter<string?> { TypedValue = parts?.RemoveBefore, NpgsqlDbType = NpgsqlDbType.Text });
        var upserts = parts?.Upserts ?? [];
        parameters.Add(Array(upserts, p => p.Key, NpgsqlDbType.Text));
        parameters.Add(Array(upserts, p => p.Payload, NpgsqlDbType.Bytea));

        var events = write.Events ?? [];
        parameters.Add(Array(events, e => e.EventId, NpgsqlDbType.Text));
        parameters.Add(Array(events, e => e.Tenant, NpgsqlDbType.Text));
        parameters.Add(Array(events, e => e.UserId, NpgsqlDbType.Text));
        parameters.Add(Array(events, e => e.SessionId, NpgsqlDbType.Text));
        parameters.Add(Array(events, e => e.Type, NpgsqlDbType.Text));
        parameters.Add(Array(events, e => e.OccurredAt, NpgsqlDbType.TimestampTz));
        parameters.Add(Array(events, e => e.Payload, NpgsqlDbType.Bytea));
        return command;
    }

    private static NpgsqlParameter<TValue[]> Array<TItem, TValue>(IReadOnlyList<TItem> items, Func<TItem, TValue> value, NpgsqlDbType type)
    {
        var values = new TValue[items.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(items[i]);
        }

        return new NpgsqlParameter<TValue[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | type };
    }

    private sealed class PendingWrite(string key, byte[]? payload, long? expectedVersion, IReadOnlyList<EventRow>? events, PartsDelta? parts)
    {
        public string Key { get; } = key;

        public byte[]? Payload { get; } = payload;

        public long? ExpectedVersion { get; } = expectedVersion;

        /// <summary>Events committed with the write, when it does not conflict.</summary>
        public IReadOnlyList<EventRow>? Events { get; } = events;

        /// <summary>Part rows changed with the write, when it does not conflict.</summary>
        public PartsDelta? Parts { get; } = parts;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
