using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Sessions.Storage;
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

/// <summary>Users stored by the ADO.NET grain storage in the project's PostgreSQL schema.</summary>
public sealed class PostgresUserKeySource(string connectionString, IOptions<ClusterOptions> cluster) : IUserKeySource
{
    public async Task<IReadOnlyList<string>> UserIdsAsync(string tenant, CancellationToken cancellationToken)
    {
        var prefix = UserKey.Format(tenant, "");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        // String-keyed grains have n0 = n1 = 0 and their whole key in grainid_ext: the primary key covers this
        // range; starts_with keeps it exact whatever the database's collation orders case-insensitively.
        await using var command = new NpgsqlCommand(
            """
            SELECT grainid_ext FROM orleans_grain_state
             WHERE serviceid = $1 AND statename = $2 AND grainid_n0 = 0 AND grainid_n1 = 0
               AND grainid_ext >= $3 AND grainid_ext < $4 AND starts_with(grainid_ext, $3) AND payload IS NOT NULL
            """,
            connection);
        command.Parameters.AddWithValue(cluster.Value.ServiceId);
        command.Parameters.AddWithValue(UserSessionsNames.StateName);
        command.Parameters.AddWithValue(prefix);
        command.Parameters.AddWithValue(prefix + char.MaxValue);
        var users = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(reader.GetString(0)[prefix.Length..]);
        }

        return users;
    }
}
