using System.Diagnostics;
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
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"set -e; source \"$0\"; PG_BIN=\"$1\"; PG_DIR=\"$2\"; {commands}");
        start.ArgumentList.Add(TestData.RepositoryFile("scripts/postgres.sh"));
        start.ArgumentList.Add(_bin);
        start.ArgumentList.Add(_dir);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"scripts/postgres.sh: '{commands}' failed ({process.ExitCode}):\n{await errors}");
    }
}
