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
    private readonly RowStates _states = new(serializer, activators);
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
        _states.Load(grainState, row, parts);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _states.WriteAsync(grainState, (write, expected) => Store.WriteAsync(Key(stateName, grainId), write.Payload, expected, write.Events, write.Parts));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        _states.ClearAsync(grainState, expected => Store.DeleteAsync(Key(stateName, grainId), expected));

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
