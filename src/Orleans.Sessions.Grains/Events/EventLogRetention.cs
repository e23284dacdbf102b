using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Events;

/// <summary>
/// Deletes events older than <see cref="EventsOptions.Retention"/>, every <see cref="EventsOptions.TrimInterval"/>, in
/// batches so no delete holds the log long. Every silo runs it; deleting what another silo deleted is a no-op.
/// </summary>
public sealed partial class EventLogRetention(
    IEventLog log,
    IOptions<EventsOptions> options,
    [FromKeyedServices(SessionsClock.Key)] TimeProvider clock,
    ILogger<EventLogRetention> logger) : BackgroundService
{
    private const int Batch = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.TrimInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var before = clock.GetUtcNow() - options.Value.Retention;
                int deleted;
                do
                {
                    deleted = await log.TrimAsync(before, Batch, stoppingToken);
                }
                while (deleted == Batch);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogTrimFailed(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events past their retention could not be deleted; the next trim tries again")]
    private partial void LogTrimFailed(Exception exception);
}
