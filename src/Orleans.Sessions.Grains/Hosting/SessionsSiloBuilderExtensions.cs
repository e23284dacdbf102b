using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Sessions.Audit;
using Orleans.Sessions.Events;
using Orleans.Sessions.Keys;
using Orleans.Sessions.SharedSignals;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Storage.Postgres;
using Orleans.Sessions.Users;
using Orleans.Sessions.Backchannel;
using Orleans.Sessions.Deliveries;
using Orleans.Sessions.Webhooks;
using Orleans.Storage;

namespace Orleans.Sessions.Hosting;

/// <summary>What a silo needs to host the sessions grains.</summary>
public static class SessionsSiloBuilderExtensions
{
    /// <summary>
    /// Adds the grains' options (the <c>Sessions</c> section), the clock and the JSON storage format. The host
    /// adds one grain storage next: <see cref="AddSessionsSqliteStorage"/>, <see cref="AddSessionsPostgresStorage"/> or
    /// <see cref="AddSessionsAdoNetStorage"/>.
    /// </summary>
    public static ISiloBuilder AddSessions(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<SessionsOptions>().Bind(configuration.GetSection(SessionsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsOptions>, SessionsOptionsValidator>());
        services.TryAddKeyedSingleton(SessionsClock.Key, TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SessionMetrics>();
        services.TryAddSingleton<Policy.TenantPolicyCache>();
        services.TryAddSingleton<Risk.RiskEvaluator>();
        services.TryAddSingleton<DirectoryMetrics>();
        services.TryAddSingleton<StorageMetrics>();
        services.AddOptions<EventsOptions>().Bind(configuration.GetSection(EventsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EventsOptions>, EventsOptionsValidator>());
        services.AddRetention<IEventLog, EventsOptions>("The event log", o => (o.Retention, o.TrimInterval));
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.AddRetention<IAuditLog, AuditOptions>("The audit history", o => (o.Retention, o.TrimInterval));
        services.AddOptions<WebhooksOptions>().Bind(configuration.GetSection(WebhooksOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhooksOptions>, WebhooksOptionsValidator>());
        services.AddOptions<SigningKeysOptions>().Bind(configuration.GetSection(SigningKeysOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SigningKeysOptions>, SigningKeysOptionsValidator>());
        services.AddOptions<SharedSignals.SsfPollOptions>().Bind(configuration.GetSection(SharedSignals.SsfPollOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SharedSignals.SsfPollOptions>, SharedSignals.SsfPollOptionsValidator>());
        services.AddDeliveryHttp();
        services.TryAddSingleton<DeliveryMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryReceivers, WebhookReceivers>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryReceivers, BackchannelReceivers>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeliveryReceivers, SsfPushReceivers>());
        services.AddHostedService<DeliveryKeeper>();
        services.AddOptions<Jobs.RevokeJobOptions>().Bind(configuration.GetSection(Jobs.RevokeJobOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Jobs.RevokeJobOptions>, Jobs.RevokeJobOptionsValidator>());
        services.AddHostedService<Jobs.JobKeeper>();

        silo.UseSystemTextJsonGrainStorageSerializer();
        services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o => ConfigureStorageJson(o.JsonSerializerOptions));
        return silo;
    }

    /// <summary>Trims <typeparamref name="TStore"/> (the host's) past the retention its options give.</summary>
    private static void AddRetention<TStore, TOptions>(this IServiceCollection services, string what, Func<TOptions, (TimeSpan Retention, TimeSpan Interval)> settings)
        where TStore : IRetainedStore
        where TOptions : class
    {
        // Not AddHostedService: it adds one service of each implementation type, and each store has its own Retention.
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp =>
        {
            var (retention, interval) = settings(sp.GetRequiredService<IOptions<TOptions>>().Value);
            return new Retention(
                what, sp.GetRequiredService<TStore>(), retention, interval, sp.GetRequiredKeyedService<TimeProvider>(SessionsClock.Key), sp.GetRequiredService<ILogger<Retention>>());
        });
    }

    /// <summary>The embedded grain storage: SQLite in <c>Sessions:DataDirectory</c>, tuned by <c>Sessions:Sqlite</c>.</summary>
    public static ISiloBuilder AddSessionsSqliteStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddSqliteGrainStorage(SessionsStorage.Name, o =>
        {
            configuration.GetSection("Sessions:Sqlite").Bind(o);
            o.DataDirectory = configuration["Sessions:DataDirectory"] ?? o.DataDirectory;
        });
        silo.Services.AddSingleton<IUserKeySource, SqliteUserKeySource>();
        silo.Services.AddSingleton<IEventLog, SqliteEventLog>();
        silo.Services.AddSingleton<IAuditLog, SqliteAuditLog>();
        return silo;
    }

    /// <summary>
    /// The cluster's grain storage, the project's own (<see cref="PostgresGrainStorage"/>: per-session rows, group commit),
    /// tuned by <c>Sessions:Postgres</c>. Grains that Orleans' ADO.NET storage holds (written before a cluster switched)
    /// are read from there until their first write here.
    /// </summary>
    public static ISiloBuilder AddSessionsPostgresStorage(this ISiloBuilder silo, string invariant, string connectionString, IConfiguration configuration)
    {
        const string adoNet = SessionsStorage.Name + "-adonet";
        silo.AddAdoNetGrainStorage(adoNet, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });
        var services = silo.Services;
        services.AddOptions<PostgresStateStoreOptions>(SessionsStorage.Name).Bind(configuration.GetSection("Sessions:Postgres")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStateStoreOptions>, PostgresStateStoreOptionsValidator>());
        services.AddGrainStorage(SessionsStorage.Name, (sp, key) => new PostgresGrainStorage(
            key,
            connectionString,
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetRequiredService<IOptionsMonitor<PostgresStateStoreOptions>>().Get(key),
            sp.GetRequiredService<IGrainStorageSerializer>(),
            sp.GetRequiredService<IActivatorProvider>(),
            sp.GetRequiredService<StorageMetrics>(),
            sp.GetRequiredKeyedService<IGrainStorage>(adoNet),
            sp.GetRequiredService<ILogger<PostgresGrainStorage>>()));
        return silo.AddPostgresReaders(connectionString);
    }

    /// <summary>
    /// The cluster's grain storage as Orleans' ADO.NET provider on the project's PostgreSQL schema (silo-config/sql/),
    /// its commits measured (<see cref="MeasuredGrainStorage"/>): <c>Sessions:Postgres:GrainStorage=AdoNet</c>.
    /// </summary>
    public static ISiloBuilder AddSessionsAdoNetStorage(this ISiloBuilder silo, string invariant, string connectionString)
    {
        silo.AddAdoNetGrainStorage(SessionsStorage.Name, o =>
        {
            o.Invariant = invariant;
            o.ConnectionString = connectionString;
        });

        // Registered after the provider's own, so the storage grains resolve is this one; the provider's silo
        // lifecycle registration resolves it too, and it passes the lifecycle on.
        silo.Services.AddKeyedSingleton<IGrainStorage>(SessionsStorage.Name, (sp, key) => new MeasuredGrainStorage(
            AdoNetGrainStorageFactory.Create(sp, (string)key!), sp.GetRequiredService<StorageMetrics>(), "postgres"));
        return silo.AddPostgresReaders(connectionString);
    }

    /// <summary>What reads the cluster's tables besides the grain storage: the users a directory rebuilds from, the event log.</summary>
    private static ISiloBuilder AddPostgresReaders(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddSingleton<IUserKeySource>(sp => new PostgresUserKeySource(connectionString, sp.GetRequiredService<IOptions<ClusterOptions>>()));
        silo.Services.AddSingleton<IEventLog>(sp => new PostgresEventLog(connectionString, sp.GetRequiredService<IOptions<ClusterOptions>>()));
        silo.Services.AddSingleton<IAuditLog>(sp => new PostgresAuditLog(connectionString, sp.GetRequiredService<IOptions<ClusterOptions>>()));
        return silo;
    }

    /// <summary>
    /// The stored format: camelCase JSON, enums as names, no .NET type names anywhere, so that renaming a
    /// class never breaks stored rows.
    /// </summary>
    public static void ConfigureStorageJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }
}
