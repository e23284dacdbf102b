using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Orleans.Sessions.Hosting.Health;

/// <summary>
/// PostgreSQL answers <c>SELECT 1</c> within the bound, on the host's own connection string (so from its own pool,
/// as grain storage and membership use it). A stopped server fails the check at once (connection refused); one
/// that hangs fails it at the bound. Nothing is kept between checks, so the check turns healthy by itself as soon
/// as the server answers again.
/// </summary>
public sealed partial class PostgresHealthCheck(string connectionString, TimeSpan timeout, ILogger<PostgresHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(bound.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(bound.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogTimedOut(timeout);
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL did not answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            LogFailed(exception);
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL does not answer ({exception.GetType().Name})");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: PostgreSQL did not answer within {Timeout}")]
    private partial void LogTimedOut(TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: PostgreSQL does not answer")]
    private partial void LogFailed(Exception exception);
}
