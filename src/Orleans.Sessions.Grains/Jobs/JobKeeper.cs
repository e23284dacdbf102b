using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Jobs;

/// <summary>
/// Keeps every running revoke-by-query job going (docs/jobs.md, "After a crash"): soon after a silo starts, and every
/// 5 s, it asks each job the registry lists to run. A job whose silo died is activated again on another within that time
/// and goes on from its stored progress. Every silo does it; asking a running job is a no-op.
/// </summary>
public sealed partial class JobKeeper(IGrainFactory grains, ILogger<JobKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        do
        {
            try
            {
                var jobs = await grains.GetGrain<IJobRegistryGrain>(IJobRegistryGrain.Key).ListAsync();
                await Task.WhenAll(jobs.Select(key => grains.GetGrain<IRevokeJobGrain>(key).EnsureRunningAsync()));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogKeepFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revoke-by-query jobs could not be checked; the next pass tries again")]
    private partial void LogKeepFailed(Exception exception);
}
