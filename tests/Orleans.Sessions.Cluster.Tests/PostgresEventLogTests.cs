using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The PostgreSQL event log's reads on the project's schema: in (transaction, row) order across transaction ids of
/// different lengths, resumable from any position, and found by id or by time range (docs/events.md, "The log").
/// </summary>
public sealed class PostgresEventLogTests : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private PostgresEventLog _log = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.MigrateAsync();
        _log = new PostgresEventLog(_database.ConnectionString, Options.Create(new ClusterOptions { ServiceId = "svc" }));
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Events_are_read_in_order_from_any_position_and_found_by_id_or_time()
    {
        var start = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        // Transaction ids 90 to 119 (finished long ago on any server), across the step from two digits to three: the
        // order must be the numbers', not their text's.
        for (var i = 0; i < 30; i++)
        {
            await _database.ScalarAsync<object>(
                "INSERT INTO sessions_event_log (serviceid, tenant, event_id, user_id, session_id, type, occurred_at, txid, payload) VALUES ('svc', 't', $1, 'u', 's', 'session.created', $2, $3::text::xid8, '\\x7b7d')",
                $"e{i:D2}", start.AddMinutes(i), (90 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var read = new List<EventPosition>();
        var after = EventPosition.Start;
        while (true)
        {
            var page = await _log.ReadAsync("t", new EventQuery { After = after, Limit = 7 }, TestContext.Current.CancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            read.AddRange(page.Select(p => p.Position));
            after = page[^1].Position;
        }

        Assert.Equal(30, read.Count);
        Assert.Equal(Enumerable.Range(90, 30).Select(t => (ulong)t), read.Select(p => p.Transaction));
        Assert.Equal(read[^1], await _log.EndAsync("t", TestContext.Current.CancellationToken));

        var one = Assert.Single(await _log.FindAsync("t", new EventSelection { EventId = "e07" }, TestContext.Current.CancellationToken));
        Assert.Equal(read[7], one.Position);
        var range = await _log.FindAsync("t", new EventSelection { From = start.AddMinutes(10), Until = start.AddMinutes(15) }, TestContext.Current.CancellationToken);
        Assert.Equal(read.Skip(10).Take(5), range.Select(r => r.Position));
        Assert.Empty(await _log.FindAsync("other", new EventSelection { EventId = "e07" }, TestContext.Current.CancellationToken));
    }
}
