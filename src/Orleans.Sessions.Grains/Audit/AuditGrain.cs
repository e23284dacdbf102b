using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace Orleans.Sessions.Audit;

/// <summary>A tenant's audit history on whichever silo is asked: reads and entries go straight to <see cref="IAuditLog"/>.</summary>
[StatelessWorker, GrainType("audit")]
public sealed class AuditGrain(IAuditLog log, [FromKeyedServices(SessionsClock.Key)] TimeProvider clock) : Grain, IAuditGrain
{
    public async Task<ImmutableArray<AuditEntry>> ReadAsync(AuditQuery query) =>
        [.. await log.ReadAsync(this.GetPrimaryKeyString(), query, CancellationToken.None)];

    public Task RecordAsync(AdminChange change)
    {
        var now = clock.GetUtcNow();
        return log.AppendAsync(
            new AuditEntry
            {
                Id = System.Ulid.NewUlid(now).ToString(),
                Tenant = this.GetPrimaryKeyString(),
                OccurredAt = now,
                Kind = AuditKinds.Admin,
                Actor = change.Actor,
                Operation = change.Operation,
                Target = change.Target,
            },
            CancellationToken.None);
    }
}
