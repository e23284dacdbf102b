using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.SessionDirectory;

/// <summary>List-all and its counts (docs/api.md, "List-all"): each request is one call to the tenant's <see cref="IDirectoryGrain"/>.</summary>
public static class DirectoryApi
{
    public static RouteGroupBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/sessions")
            .WithTags("Directory")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.ReadAll)
            .WithInputValidation();
        group.MapGet("/", ListAsync).WithName("ListAllSessions").WithSummary("Active sessions of every user of the tenant: filters, sorts, keyset paging.")
            .WithDescription(MetadataFilters);
        group.MapGet("/count", CountAsync).WithName("CountSessions").WithSummary("Counts of active sessions: total, by status, by country, by device type, by risk signal, by sign-on method.")
            .WithDescription(MetadataFilters);
        return group;
    }

    public static async Task<Ok<DirectoryListResponse>> ListAsync(
        [AsParameters] TenantRoute route, [AsParameters] DirectoryFilterParameters filter, [AsParameters] DirectoryPageParameters page,
        Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var query = page.Query with { Filter = filter.Filter with { Scope = caller.Scope } };
        var answer = await grains.GetGrain<IDirectoryGrain>(route.Tenant).ListAsync(query);
        var next = answer.Next is { } position ? ListCursor.Encode(query.Sort, query.Descending, position) : null;
        audit.ListedAll(caller, route.Tenant, "list-all", answer.Total);
        return TypedResults.Ok(new DirectoryListResponse([.. answer.Items.Select(i => ToResponse(route.Tenant, i))], answer.Total, next));
    }

    public static async Task<Ok<DirectoryCountResponse>> CountAsync(
        [AsParameters] TenantRoute route, [AsParameters] DirectoryFilterParameters filter, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var counts = await grains.GetGrain<IDirectoryGrain>(route.Tenant).CountAsync(filter.Filter with { Scope = caller.Scope });
        audit.ListedAll(caller, route.Tenant, "count", counts.Total);
        return TypedResults.Ok(new DirectoryCountResponse(
            counts.Total,
            new Dictionary<string, int> { ["active"] = counts.Total },
            counts.ByCountry,
            counts.ByDeviceType,
            counts.ByRisk,
            counts.ByAuthMethod));
    }

    /// <summary>What the document says of the filters whose names the caller chooses (no parameter can declare them).</summary>
    private const string MetadataFilters =
        "Besides the parameters below, `metadata.{key}={value}` (up to 8, each key once) keeps the sessions whose metadata has that key with exactly that value as its JSON text reads (docs/api.md, \"List-all\").";

    private static readonly DirectoryRiskResponse NoRisk = new([], 0);

    internal static DirectorySessionResponse ToResponse(string tenant, DirectoryItem item)
    {
        var s = item.Session;
        return new DirectorySessionResponse(
            s.SessionId,
            tenant,
            s.UserId,
            item.UserName,
            item.DisplayName,
            "active",
            new DateTimeOffset(s.CreatedAt, TimeSpan.Zero),
            new DateTimeOffset(s.ActiveAt, TimeSpan.Zero),
            new DateTimeOffset(s.ExpiresAt, TimeSpan.Zero),
            new DateTimeOffset(s.IdleExpiresAt, TimeSpan.Zero),
            s.AuthMethod,
            s.ClientIds,
            s.Ip,
            s.CountryCode,
            s.City,
            new DirectoryBrowserResponse(s.Browser, s.BrowserVersion),
            new DirectoryOsResponse(s.Os, s.OsVersion),
            new DirectoryDeviceResponse(s.DeviceType, s.DeviceModel),
            s.Impersonated,
            s.PopulationId,
            s.OrganizationId,
            s.Host,
            s.Metadata,
            s.RiskSignals.IsDefaultOrEmpty ? NoRisk : new DirectoryRiskResponse(s.RiskSignals, s.RiskScore));
    }
}
