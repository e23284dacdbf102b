using Orleans.Concurrency;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// One shard of a tenant's directory of active sessions (key <c>"{tenant}/{shard}"</c>, see
/// <see cref="DirectoryShards"/>): the users hashed to it, kept up to date by their user grains and
/// reconciled with them, so it heals from lost updates by itself. Only silos call shards: user grains
/// update them, <see cref="IDirectoryGrain"/> queries them.
/// </summary>
[Alias("sessions.IDirectoryShardGrain")]
public interface IDirectoryShardGrain : IGrainWithStringKey
{
    /// <summary>Replaces what the shard knows of one user (sent one-way by the user grain).</summary>
    [OneWay, Alias("UpdateUser")]
    Task UpdateUserAsync(DirectoryUserUpdate update);

    /// <summary>The first <see cref="DirectoryQuery.Take"/> matching active sessions in the query's order, and the match count.</summary>
    [ReadOnly, Alias("Query")]
    Task<DirectorySlice> QueryAsync(DirectoryQuery query);

    /// <summary>How many active sessions of this shard match: in all, by country and by device type.</summary>
    [ReadOnly, Alias("Count")]
    Task<DirectoryCounts> CountAsync(DirectoryFilter filter);
}

/// <summary>How users map to shards: a stable hash of the user id (the same in every process and version).</summary>
public static class DirectoryShards
{
    public const int DefaultCount = 64;

    public static string Key(string tenant, int shard) => $"{tenant}/{shard.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static int ShardOf(string userId, int shardCount)
    {
        // FNV-1a over the UTF-16 code units: stable, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in userId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)shardCount);
    }
}
