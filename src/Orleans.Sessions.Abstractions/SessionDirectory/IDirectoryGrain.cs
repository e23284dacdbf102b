using Orleans.Sessions.Users;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// A tenant's directory of active sessions as its callers see it (key: the tenant id): list-all, counts and
/// finding whose a session is, each one call. The silo that takes the call asks every shard of the tenant
/// and merges their answers; how many shards there are is the silos' setting alone.
/// </summary>
[Alias("sessions.IDirectoryGrain")]
public interface IDirectoryGrain : IGrainWithStringKey
{
    /// <summary>One page of the active sessions that match, in the query's order, and how many match in all.</summary>
    [Alias("List")]
    Task<DirectoryPage> ListAsync(DirectoryQuery query);

    /// <summary>How many active sessions match: in all, by country and by device type.</summary>
    [Alias("Count")]
    Task<DirectoryCounts> CountAsync(DirectoryFilter filter);

    /// <summary>The user whose active session <paramref name="sessionId"/> is, within <paramref name="scope"/>; null when there is none.</summary>
    [Alias("FindUser")]
    Task<string?> FindUserAsync(string sessionId, SessionScope scope);
}
