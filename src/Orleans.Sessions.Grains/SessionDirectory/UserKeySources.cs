using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Sessions.Storage;
using Orleans.Sessions.Storage.Postgres;
using Orleans.Sessions.Users;
using Orleans.Storage;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// The users of a tenant as the grain storage knows them: what directory shards rebuild and reconcile from,
/// so that a shard finds even a user whose update never reached it.
/// </summary>
public interface IUserKeySource
{
    Task<IReadOnlyList<string>> UserIdsAsync(string tenant, CancellationToken cancellationToken);
}

/// <summary>Users stored by the embedded SQLite grain storage.</summary>
public sealed class SqliteUserKeySource(IServiceProvider services) : IUserKeySource
{
    public async Task<IReadOnlyList<string>> UserIdsAsync(string tenant, CancellationToken cancellationToken)
    {
        var storage = (SqliteGrainStorage)services.GetRequiredKeyedService<IGrainStorage>(SessionsStorage.Name);
        var prefix = SqliteGrainStorage.Key(UserSessionsNames.StateName, GrainId.Create(UserSessionsNames.GrainType, UserKey.Format(tenant, "")));
        var keys = await storage.Store.ReadKeysAsync(prefix, cancellationToken);
        return [.. keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..])];
    }
}

/// <summary>
/// Users stored in the cluster's PostgreSQL schema: by the project's grain storage (<c>sessions_grain_state</c>) or by
/// Orleans' ADO.NET storage (<c>orleans_grain_state</c>) — both, since a cluster that switched may hold users in either.
/// </summary>
public sealed class PostgresUserKeySource(string connectionString, IOptions<ClusterOptions> cluster) : IUserKeySource
{
    public async Task<IReadOnlyList<string>> UserIdsAsync(string tenant, CancellationToken cancellationToken)
    {
        var grainKeyPrefix = UserKey.Format(tenant, "");
        var stateKeyPrefix = PostgresGrainStorage.Key(UserSessionsNames.StateName, GrainId.Create(UserSessionsNames.GrainType, grainKeyPrefix));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // Both primary keys cover these ranges; starts_with keeps them exact whatever a collation orders case-insensitively.
        // String-keyed grains of the ADO.NET storage have n0 = n1 = 0 and their whole key in grainid_ext.
        await using var command = new NpgsqlCommand(
            """
            SELECT state_key, 0 FROM sessions_grain_state
             WHERE serviceid = $1 AND state_key >= $4 AND state_key < $5 AND starts_with(state_key, $4) AND payload IS NOT NULL
            UNION ALL
            SELECT grainid_ext, 1 FROM orleans_grain_state
             WHERE serviceid = $1 AND statename = $2 AND grainid_n0 = 0 AND grainid_n1 = 0
               AND grainid_ext >= $3 AND grainid_ext < $6 AND starts_with(grainid_ext, $3) AND payload IS NOT NULL
            """,
            connection);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(UserSessionsNames.StateName);
        command.Parameters.AddWithValue(grainKeyPrefix);
        command.Parameters.AddWithValue(stateKeyPrefix);
        command.Parameters.AddWithValue(stateKeyPrefix + char.MaxValue);
        command.Parameters.AddWithValue(grainKeyPrefix + char.MaxValue);
        var users = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            users.Add(key[(reader.GetInt32(1) == 0 ? stateKeyPrefix : grainKeyPrefix).Length..]);
        }

        return [.. users];
    }
}
