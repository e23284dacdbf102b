using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Sessions.Storage;
using Orleans.Storage;

namespace Orleans.Sessions.Silo.Health;

/// <summary>
/// The embedded storage answers: the SQLite file opens and reads within the bound, and the group-commit writer's
/// latest commit succeeded (a full or read-only disk makes writes fail while reads still work). After a failed
/// commit the check writes a probe row itself, so it turns healthy as soon as writes work again, with or without
/// traffic.
/// </summary>
public sealed partial class SqliteHealthCheck(IGrainStorage storage, TimeSpan timeout, ILogger<SqliteHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if ((storage as SqliteGrainStorage)?.StartedStore is not { } store)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "SQLite storage has not started");
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            if (store.LastCommitFailure is not null)
            {
                await store.ProbeWriteAsync().WaitAsync(bound.Token);
            }

            await store.PingAsync(bound.Token);
            return HealthCheckResult.Healthy("SQLite answers");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"SQLite did not answer within {timeout.TotalSeconds:0.###} s");
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            LogFailing(exception);
            return new HealthCheckResult(context.Registration.FailureStatus, $"SQLite does not answer or cannot commit ({exception.GetType().Name})");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: SQLite does not answer or cannot commit")]
    private partial void LogFailing(Exception exception);
}
