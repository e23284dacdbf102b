using System.Text.RegularExpressions;
using Orleans.Sessions.Storage.Postgres;

namespace Orleans.Sessions.Cluster.Tests;

public sealed partial class PostgresSchemaTests : IAsyncLifetime
{
    // Declared first: the table below reads it during static initialization.
    private static readonly string[] StorageParameters =
        ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId"];

    /// <summary>
    /// Every query key Microsoft.Orleans.Clustering.AdoNet and Persistence.AdoNet 10.x read, with the
    /// parameters they bind for it. A placeholder outside its set would not be bound, and PostgreSQL would
    /// silently read "@Name" as the absolute value of a column.
    /// </summary>
    private static readonly Dictionary<string, string[]> ProviderQueries = new()
    {
        ["GatewaysQueryKey"] = ["DeploymentId", "Status"],
        ["MembershipReadRowKey"] = ["DeploymentId", "Address", "Port", "Generation"],
        ["MembershipReadAllKey"] = ["DeploymentId"],
        ["InsertMembershipVersionKey"] = ["DeploymentId"],
        ["UpdateIAmAlivetimeKey"] = ["DeploymentId", "Address", "Port", "Generation", "IAmAliveTime"],
        ["InsertMembershipKey"] = ["DeploymentId", "Address", "Port", "Generation", "SiloName", "HostName", "Status", "ProxyPort", "StartTime", "IAmAliveTime", "Version"],
        ["UpdateMembershipKey"] = ["DeploymentId", "Address", "Port", "Generation", "Status", "SuspectTimes", "IAmAliveTime", "Version"],
        ["DeleteMembershipTableEntriesKey"] = ["DeploymentId"],
        ["CleanupDefunctSiloEntriesKey"] = ["DeploymentId", "IAmAliveTime"],
        ["ReadFromStorageKey"] = StorageParameters,
        ["WriteToStorageKey"] = [.. StorageParameters, "GrainStateVersion", "PayloadBinary"],
        ["ClearStorageKey"] = [.. StorageParameters, "GrainStateVersion"],
        ["DeleteStorageKey"] = [.. StorageParameters, "GrainStateVersion"],
    };

    private readonly PostgresDatabase _database = new();

    public ValueTask InitializeAsync() => _database.InitializeAsync();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Migrating_twice_applies_each_script_once()
    {
        var first = await _database.MigrateAsync();
        var second = await _database.MigrateAsync();

        Assert.Equal(PostgresSchema.Scripts.Select(s => s.Version), first);
        Assert.Empty(second);
        Assert.Equal(first, await _database.ColumnAsync<string>("SELECT version FROM sessions_schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task Two_migrate_commands_at_once_both_exit_0_and_apply_the_schema_once()
    {
        var runs = Enumerable.Range(0, 2).Select(_ => RunMigrateCommandAsync()).ToArray();
        var results = await Task.WhenAll(runs);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, $"migrate exited {r.ExitCode}:\n{r.Output}"));
        Assert.Equal(PostgresSchema.Scripts.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM sessions_schema_migrations"));
        Assert.Equal(ProviderQueries.Count, await _database.ScalarAsync<long>("SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task Every_query_key_the_providers_need_is_present_and_binds_only_their_parameters()
    {
        await _database.MigrateAsync();

        var keys = await _database.ColumnAsync<string>("SELECT querykey FROM orleansquery ORDER BY querykey");
        Assert.Equal(ProviderQueries.Keys.Order(StringComparer.Ordinal), keys);
        foreach (var (key, parameters) in ProviderQueries)
        {
            var text = (await _database.ScalarAsync<string>("SELECT querytext FROM orleansquery WHERE querykey = $1", key))!;
            var used = Placeholder().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();
            var unknown = used.Except(parameters, StringComparer.Ordinal).ToList();
            Assert.True(unknown.Count == 0, $"{key} uses parameters the provider does not send: {string.Join(", ", unknown)}");
            Assert.NotEmpty(used);
        }
    }

    private async Task<(int ExitCode, string Output)> RunMigrateCommandAsync()
    {
        var (exitCode, output, errors) = await Commands.RunAsync(
            "dotnet", [HostProcess.SiloAssembly, "migrate", $"--ConnectionStrings:Postgres={_database.ConnectionString}"], TimeSpan.FromSeconds(120));
        return (exitCode, output + errors);
    }

    [GeneratedRegex(@"@([A-Za-z][A-Za-z0-9]*)")]
    private static partial Regex Placeholder();
}
