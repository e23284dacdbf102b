using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orleans.Sessions.Storage;

/// <summary>
/// Orleans grain storage on <see cref="SqliteStateStore"/>: the embedded, durable default of a single
/// node. ETags are the row versions; a write with a stale ETag fails with <see cref="InconsistentStateException"/>.
/// The payload is whatever the configured <see cref="IGrainStorageSerializer"/> makes of the state; a state with parts
/// (<see cref="IPartedState"/>) keeps them in rows of their own and writes only those that changed.
/// </summary>
public sealed partial class SqliteGrainStorage(
    string name,
    SqliteStateStoreOptions options,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators,
    StorageMetrics metrics,
    ILogger<SqliteGrainStorage> logger) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private SqliteStateStore? _store;

    /// <summary>The open store; available once the silo has started.</summary>
    public SqliteStateStore Store => _store ?? throw new InvalidOperationException($"Grain storage '{name}' has not started.");

    /// <summary>The store once the silo has started this storage (and until it stops it), else null.</summary>
    public SqliteStateStore? StartedStore => _store;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{name}", ServiceLifecycleStage.ApplicationServices, Start, Stop);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var (row, parts) = typeof(IPartedState).IsAssignableFrom(typeof(T))
            ? await Store.ReadWithPartsAsync(key)
            : (await Store.ReadAsync(key), []);
        if (row is { Payload: { } payload })
        {
            grainState.State = serializer.Deserialize<T>(new BinaryData(payload));
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = activators.GetActivator<T>().Create();
            grainState.RecordExists = false;
        }

        (grainState.State as IPartedState)?.LoadParts(grainState.RecordExists ? parts : [], serializer);

        // A cleared row keeps its version: writing over it must present that ETag.
        grainState.ETag = StorageETag.Format(row?.Version);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var write = StateWrite.Of(grainState.State, serializer);
        try
        {
            var version = await Store.WriteAsync(Key(stateName, grainId), write.Payload, StorageETag.Parse(grainState.ETag), write.Events, write.Parts);
            grainState.ETag = StorageETag.Format(version);
            grainState.RecordExists = true;
            write.Parts?.Stored();
        }
        catch (VersionConflictException conflict)
        {
            throw StorageETag.Conflict(conflict, grainState.ETag);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        long? version;
        try
        {
            version = await Store.DeleteAsync(Key(stateName, grainId), StorageETag.Parse(grainState.ETag));
        }
        catch (VersionConflictException conflict)
        {
            throw StorageETag.Conflict(conflict, grainState.ETag);
        }

        grainState.ETag = StorageETag.Format(version);
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
        (grainState.State as IPartedState)?.LoadParts([], serializer);
    }

    public void Dispose() => _store?.Dispose();

    /// <summary>The row key of a grain's state: the state name, '|', and the grain id (type/key).</summary>
    public static string Key(string stateName, GrainId grainId) => $"{stateName}|{grainId}";

    private Task Start(CancellationToken cancellationToken)
    {
        _store = new SqliteStateStore(options, metrics);
        LogOpened(name, _store.DatabasePath);
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        if (_store is { } store)
        {
            var commits = store.Commits;
            store.Dispose();
            LogClosed(name, store.Writes, commits, commits == 0 ? 0 : (double)store.Writes / commits);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name} opened SQLite database {Path}")]
    private partial void LogOpened(string name, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Grain storage {Name} closed: {Writes} writes in {Commits} commits ({WritesPerCommit:F2} per commit)")]
    private partial void LogClosed(string name, long writes, long commits, double writesPerCommit);
}

/// <summary>Registration of <see cref="SqliteGrainStorage"/>.</summary>
public static class SqliteGrainStorageExtensions
{
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, Action<SqliteStateStoreOptions> configure)
    {
        services.AddOptions<SqliteStateStoreOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStateStoreOptions>, SqliteStateStoreOptionsValidator>());
        return services.AddGrainStorage(name, (sp, key) => new SqliteGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<SqliteStateStoreOptions>>().Get(key),
            sp.GetRequiredService<IGrainStorageSerializer>(),
            sp.GetRequiredService<IActivatorProvider>(),
            sp.GetRequiredService<StorageMetrics>(),
            sp.GetRequiredService<ILogger<SqliteGrainStorage>>()));
    }
}
