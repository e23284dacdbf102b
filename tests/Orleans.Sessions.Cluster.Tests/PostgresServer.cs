using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// A PostgreSQL server of the test's own, started, stopped and started again by <c>scripts/postgres.sh</c> (the script
/// that starts the shared one): for tests that take the database away, which the shared server must never be.
/// Without the server binaries the test fails with the script's message on what to install.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string _bin = "";
    private string _dir = "";

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var started = await ScriptAsync("pg_start >&2 && echo \"$PG_BIN|$PG_DIR|$PG_CONNECTION\"");
        var parts = started.Trim().Split('|');
        (_bin, _dir, ConnectionString) = (parts[0], parts[1], parts[2] + ";Maximum Pool Size=10");
    }

    /// <summary>A fast shutdown: every connection is cut, the data stays.</summary>
    public Task StopAsync() => ScriptAsync("pg_server_stop");

    /// <summary>The same server again, on the same port.</summary>
    public Task StartAsync() => ScriptAsync("pg_server_start");

    public async ValueTask DisposeAsync()
    {
        if (_dir.Length > 0)
        {
            await ScriptAsync("pg_stop");
        }
    }

    private async Task<string> ScriptAsync(string commands)
    {
        var (exitCode, output, errors) = await Commands.RunAsync(
            "bash",
            ["-c", $"set -e; source \"$0\"; PG_BIN=\"$1\"; PG_DIR=\"$2\"; {commands}", TestData.RepositoryFile("scripts/postgres.sh"), _bin, _dir],
            TimeSpan.FromSeconds(120));
        return exitCode == 0 ? output : throw new InvalidOperationException($"scripts/postgres.sh: '{commands}' failed ({exitCode}):\n{errors}");
    }
}
