using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Compat;

/// <summary>
/// Finds whose an active session is, for the seed APIs that name only the session (WorkOS' revoke,
/// Rocket.Chat's admin logout): one read-only query to every directory shard of the tenant.
/// </summary>
public sealed class SessionLocator(IGrainFactory grains, IOptions<DirectoryApiOptions> options)
{
    /// <summary>The user whose active session this is, within <paramref name="scope"/>; null when there is none.</summary>
    public async Task<string?> FindUserAsync(string tenant, string sessionId, SessionScope scope)
    {
        var shards = options.Value.Shards;
        var query = new DirectoryQuery
        {
            Filter = new DirectoryFilter { SessionId = sessionId, Scope = scope },
            Take = 1,
            ShardCount = shards,
        };
        var slices = await Task.WhenAll(Enumerable.Range(0, shards).Select(shard =>
            grains.GetGrain<IDirectoryShardGrain>(DirectoryShards.Key(tenant, shard)).QueryAsync(query)));
        return slices.SelectMany(s => s.Items).Select(i => i.Session.UserId).FirstOrDefault();
    }
}
