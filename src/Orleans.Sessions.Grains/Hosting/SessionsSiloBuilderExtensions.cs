using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Storage.Postgres;

namespace Orleans.Sessions.Hosting;

/// <summary>What a silo needs to host the sessions grains.</summary>
public static class SessionsSiloBuilderExtensions
{
    /// <summary>
    /// Adds the grains' options (the <c>Sessions</c> section), the clock, the JSON storage format and
    /// the grain storage selected by <c>Sessions:Storage</c>.
    /// </summary>
    public static ISiloBuilder AddSessions(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<SessionsOptions>().Bind(configuration.GetSection(SessionsOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsOptions>, SessionsOptionsValidator>());
        services.TryAddKeyedSingleton(SessionsClock.Key, TimeProvider.System);

        silo.UseSystemTextJsonGrainStorageSerializer();
        services.Configure<SystemTextJsonGrainStorageSerializerOptions>(o => ConfigureStorageJson(o.JsonSerializerOptions));

        var storage = configuration["Sessions:Storage"] ?? "Sqlite";
        if (PostgresConnection.IsSelected(configuration))
        {
            var connectionString = PostgresConnection.FromConfiguration(configuration);
            silo.AddAdoNetGrainStorage(SessionsStorage.Name, o =>
            {
                o.Invariant = PostgresConnection.Invariant;
                o.ConnectionString = connectionString;
            });
            services.AddSingleton<IUserKeySource>(sp => new PostgresUserKeySource(connectionString, sp.GetRequiredService<IOptions<ClusterOptions>>()));
        }
        else if (storage.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSqliteGrainStorage(SessionsStorage.Name, o =>
            {
                configuration.GetSection("Sessions:Sqlite").Bind(o);
                o.DataDirectory = configuration["Sessions:DataDirectory"] ?? o.DataDirectory;
            });
            services.AddSingleton<IUserKeySource, SqliteUserKeySource>();
        }
        else
        {
            throw new InvalidOperationException($"Sessions:Storage '{storage}' is not supported; use 'Sqlite' (embedded) or 'Postgres' (cluster).");
        }

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
