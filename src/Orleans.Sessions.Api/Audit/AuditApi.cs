using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.Audit;

namespace Orleans.Sessions.Api.Audit;

/// <summary>
/// A tenant's audit history (docs/audit.md), role <c>sessions:admin</c>: every ending of a session and every
/// administrative change, newest first, filtered and paged by a keyset cursor.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/audit")
            .WithTags("Audit")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.Admin)
            .WithInputValidation();
        group.MapGet("/", ListAsync).WithName("ListAuditEntries")
            .WithSummary("Who ended which sessions, when and why, and every administrative change: newest first, by user, actor, kind and time.");
        return group;
    }

    public static async Task<Ok<AuditListResponse>> ListAsync([AsParameters] TenantRoute route, [AsParameters] AuditParameters parameters, IGrainFactory grains)
    {
        var (entries, next) = await ReadPageAsync(grains, route.Tenant, parameters.Query);
        return TypedResults.Ok(new AuditListResponse([.. entries.Select(AuditEntryResponse.From)], next));
    }

    /// <summary>A page of the tenant's audit history and the cursor of the next (null on the last page).</summary>
    public static async Task<(IReadOnlyList<AuditEntry> Entries, string? NextCursor)> ReadPageAsync(IGrainFactory grains, string tenant, AuditQuery query)
    {
        var entries = await grains.GetGrain<IAuditGrain>(tenant).ReadAsync(query with { Limit = query.Limit + 1 });
        return ([.. entries.Take(query.Limit)], entries.Length > query.Limit ? AuditCursor.Encode(entries[query.Limit - 1].Position) : null);
    }
}
