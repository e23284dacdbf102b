using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orleans.Sessions.Storage.Postgres;

/// <summary>
/// Orleans grain storage on <see cref="PostgresStateStore"/>: the project's own for a cluster (docs/operations.md,
/// "Grain storage on PostgreSQL"). A state with parts (<see cref="IPartedState"/>) keeps them in rows of their own and
/// writes only those that changed, its events go into the log in the same transaction, and writes share transactions
/// (group commit). ETags are the row versions; a write with a stale ETag fails with <see cref="InconsistentStateException"/>.
/// A grain with no row here yet is read from Orleans' ADO.NET storage (<paramref name="adoNet"/>) when that holds
/// rows of this service — what a cluster wrote before it switched — and its first write moves it here.
/// </summary>
public sealed partial class PostgresGrainStorage(
    string name,
    string connectionString,
    string serviceId,
    PostgresStateStoreOptions options,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators,
    StorageMetrics metrics,
    IGrainStorage? adoNet,
    ILogger<PostgresGrainStorage> logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly RowStates _states = new(serializer, activators);
    private PostgresStateStore? _store;
    private bool _readAdoNet;

    private PostgresStateStore Store => _store ?? throw new InvalidOperationException($"Grain storage '{name}' has not started.");

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(PostgresGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices, Start, Stop);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (row, parts) = await Store.ReadWithPartsAsync(Key(stateName, grainId));
        if (row is null && _readAdoNet && adoNet is not null)
        {
            await adoNet.ReadStateAsync(stateName, grainId, grainState);
            if (grainState.RecordExists)
            {
                // Its parts are in its payload; the first write here stores them as rows, and its ETag is this table's.
                (grainState.State as IPartedState)?.LoadParts([], serializer);
                grainState.ETag = null;
                return;
            }
        }

        _states.Load(grainState, row, parts);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _states.WriteAsync(grainState, (write, expected) => Store.WriteAsync(Key(stateName, grainId), write.Payload, expected, write.Events, write.Parts));

    // A tombstone even where no row was: a grain still read from the ADO.NET storage must not come back from there.
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _states.ClearAsync<T>(grainState, async expected => await Store.WriteAsync(Key(stateName, grainId), null, expected));

    /// <summary>The row key of a grain's state: the state name, '|', and the grain id (type/key) — as the SQLite storage's.</summary>
    public static string Key(string stateName, GrainId grainId) => SqliteGrainStorage.Key(stateName, grainId);

    private async Task Start(CancellationToken cancellationToken)
    {
        if (adoNet is not null)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM orleans_grain_state WHERE serviceid = $1)", connection);
            command.Parameters.AddWithValue(serviceId);
            _readAdoNet = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        _store = new PostgresStateStore(connectionString, serviceId, options, metrics);
        LogStarted(name, options.Writers, options.MaxBatchSize, _readAdoNet);
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        if (_store is { } store)
        {
            await store.DisposeAsync();
            var commits = store.Commits;
            LogStopped(name, store.Writes, commits, commits == 0 ? 0 : (double)store.Writes / commits);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name} writes to PostgreSQL with {Writers} writers of up to {MaxBatchSize} writes a transaction; reads grains not yet moved from the ADO.NET storage: {ReadsAdoNet}")]
    private partial void LogStarted(string name, int writers, int maxBatchSize, bool readsAdoNet);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name} stopped: {Writes} writes in {Commits} commits ({WritesPerCommit:F2} per commit)")]
    private partial void LogStopped(string name, long writes, long commits, double writesPerCommit);
}
