using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Storage;

/// <summary>A store whose rows age out: it deletes, oldest first, at most a batch of those older than a time.</summary>
public interface IRetainedStore
{
    /// <summary>Deletes rows of before <paramref name="before"/>, at most <paramref name="batch"/> of them; how many.</summary>
    Task<int> TrimAsync(DateTimeOffset before, int batch, CancellationToken cancellationToken);
}

/// <summary>
/// Deletes what <paramref name="store"/> holds past <paramref name="retention"/>, every <paramref name="interval"/>, in
/// batches so no delete holds the table long: the event log (<c>Sessions:Events</c>) and the audit history
/// (<c>Sessions:Audit</c>). Every silo runs it; deleting what another silo deleted is a no-op.
/// </summary>
public sealed partial class Retention(
    string what,
    IRetainedStore store,
    TimeSpan retention,
    TimeSpan interval,
    TimeProvider clock,
    ILogger<Retention> logger) : BackgroundService
{
    private const int Batch = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var before = clock.GetUtcNow() - retention;
                int deleted;
                do
                {
                    deleted = await store.TrimAsync(before, Batch, stoppingToken);
                }
                while (deleted == Batch);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogTrimFailed(exception, what);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} past its retention could not be deleted; the next trim tries again")]
    private partial void LogTrimFailed(Exception exception, string what);
}
