// The ceiling of the grain storage path on one PostgreSQL server: N concurrent workers, each upserting one
// row of a given payload size in its own auto-committed statement, as fast as the server acknowledges.
// Usage: PostgresUpsert <connection string> [concurrency=32] [seconds=20] [payload bytes=2048|auto] [keys=20000]
// "auto" takes the average payload size of the grain states that were rewritten most in that database.
using System.Diagnostics;
using Npgsql;

var connectionString = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: PostgresUpsert <connection string> [concurrency] [seconds] [payload bytes] [keys]");
var concurrency = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 32;
var seconds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
var keys = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 20000;

var pooled = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = concurrency, MinPoolSize = concurrency }.ConnectionString;
await using var dataSource = NpgsqlDataSource.Create(pooled);
int payloadBytes;
if (args.Length > 3 && args[3] == "auto")
{
    // The states the benchmark rewrote most (the "grain active" users) are the ones a sign-on writes: whole rows of
    // Orleans' ADO.NET storage, or a head and its session rows in the project's storage (silo-config/sql/0003).
    await using var average = dataSource.CreateCommand("""
        WITH states AS (
            SELECT payload_bytes, version FROM (
                SELECT length(payload) AS payload_bytes, version FROM orleans_grain_state
                UNION ALL
                SELECT length(h.payload) + coalesce((SELECT sum(length(p.payload)) FROM sessions_grain_state_parts p
                                                      WHERE p.serviceid = h.serviceid AND p.state_key = h.state_key), 0), h.version
                  FROM sessions_grain_state h) AS s
             WHERE payload_bytes IS NOT NULL)
        SELECT coalesce(round(avg(payload_bytes) FILTER (WHERE version > 5)), round(avg(payload_bytes)), 2048)::integer FROM states
        """);
    payloadBytes = (int)(await average.ExecuteScalarAsync())!;
}
else
{
    payloadBytes = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 2048;
}

await using (var setup = dataSource.CreateCommand("""
    CREATE TABLE IF NOT EXISTS bench_upsert (id integer PRIMARY KEY, version integer NOT NULL, payload bytea NOT NULL);
    TRUNCATE bench_upsert;
    """))
{
    await setup.ExecuteNonQueryAsync();
}

var payload = new byte[payloadBytes];
Random.Shared.NextBytes(payload);
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var counts = new long[concurrency];
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
{
    await using var connection = await dataSource.OpenConnectionAsync();
    await using var upsert = new NpgsqlCommand(
        "INSERT INTO bench_upsert (id, version, payload) VALUES ($1, 1, $2) ON CONFLICT (id) DO UPDATE SET version = bench_upsert.version + 1, payload = EXCLUDED.payload",
        connection);
    upsert.Parameters.Add(new NpgsqlParameter<int>());
    upsert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = payload });
    await upsert.PrepareAsync();
    var i = 0;
    while (!stop.IsCancellationRequested)
    {
        ((NpgsqlParameter<int>)upsert.Parameters[0]).TypedValue = (worker * keys / concurrency) + (i++ % (keys / concurrency));
        await upsert.ExecuteNonQueryAsync();
        counts[worker]++;
    }
})));

var total = counts.Sum();
Console.WriteLine($"plain Npgsql upserts: {total / clock.Elapsed.TotalSeconds:F0}/s ({total} in {clock.Elapsed.TotalSeconds:F1} s, {concurrency} connections, {payloadBytes} B payload)");
