using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.SessionDirectory;

/// <summary>
/// A tenant's directory as one grain call: scatter to every shard of the tenant, gather, merge. A stateless
/// worker, so it runs on the silo that takes the call (next to a gateway's connection); reentrant, so one slow
/// fan-out (a large regex scan, a shard being moved) never holds the next query back. It holds nothing but
/// the shard references of this silo's shard count.
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainType("directory")]
public sealed class DirectoryGrain(IOptions<SessionsOptions> options, DirectoryMetrics metrics) : Grain, IDirectoryGrain
{
    private readonly int _shardCount = options.Value.DirectoryShards;
    private IDirectoryShardGrain[] _shards = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var tenant = this.GetPrimaryKeyString();
        _shards = [.. Enumerable.Range(0, _shardCount).Select(shard => GrainFactory.GetGrain<IDirectoryShardGrain>(DirectoryShards.Key(tenant, shard)))];
        return Task.CompletedTask;
    }

    public async Task<DirectoryPage> ListAsync(DirectoryQuery query)
    {
        // Each shard answers its first Offset + Take + 1 matches: enough for the page after the offset, and
        // one more to tell whether another page follows.
        var started = Stopwatch.GetTimestamp();
        var window = query.Offset + query.Take + 1;
        var shardQuery = query with { Offset = 0, Take = window };
        var slices = await Task.WhenAll(_shards.Select(shard => shard.QueryAsync(shardQuery)));
        var merged = DirectoryMerge.First(slices, query.Sort, query.Descending, window);
        var page = merged.Skip(query.Offset).Take(query.Take).ToImmutableArray();
        var more = merged.Count > query.Offset + query.Take && !page.IsEmpty;
        metrics.Queried("list", started);
        return new DirectoryPage(page, slices.Sum(s => s.Total), more ? DirectoryOrder.PositionOf(query.Sort, page[^1]) : null);
    }

    public async Task<DirectoryCounts> CountAsync(DirectoryFilter filter)
    {
        var started = Stopwatch.GetTimestamp();
        var counts = await Task.WhenAll(_shards.Select(shard => shard.CountAsync(filter)));
        metrics.Queried("count", started);
        return new DirectoryCounts(
            counts.Sum(c => c.Total),
            DirectoryMerge.Sum(counts.Select(c => c.ByCountry)),
            DirectoryMerge.Sum(counts.Select(c => c.ByDeviceType)))
        {
            ByRisk = DirectoryMerge.Sum(counts.Select(c => c.ByRisk)),
            ByAuthMethod = DirectoryMerge.Sum(counts.Select(c => c.ByAuthMethod)),
        };
    }

    public async Task<string?> FindUserAsync(string sessionId, SessionScope scope)
    {
        var started = Stopwatch.GetTimestamp();
        var query = new DirectoryQuery { Filter = new DirectoryFilter { SessionId = sessionId, Scope = scope }, Take = 1 };
        var slices = await Task.WhenAll(_shards.Select(shard => shard.QueryAsync(query)));
        metrics.Queried("find", started);
        return slices.SelectMany(s => s.Items).Select(i => i.Session.UserId).FirstOrDefault();
    }
}
