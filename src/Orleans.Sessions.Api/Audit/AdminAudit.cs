using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Audit;

namespace Orleans.Sessions.Api.Audit;

/// <summary>An administrative operation that changes nothing worth an audit entry (a poll of a stream).</summary>
public sealed class NotAudited
{
    public static NotAudited Instance { get; } = new();
}

/// <summary>
/// Enters every administrative change a group's endpoints make into the tenant's audit history (docs/audit.md): each
/// request other than a read that succeeds (2xx) is entered — who, which operation, on what — before it is answered,
/// so no acknowledged change lacks its entry. A change whose entry cannot be stored is answered 503 as any storage
/// failure is, though the change was made.
/// </summary>
public static class AdminAudit
{
    public static RouteGroupBuilder WithAdminAudit(this RouteGroupBuilder group)
    {
        group.AddEndpointFilter(RecordAsync);
        return group;
    }

    private static async ValueTask<object?> RecordAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || Status(result) is not (>= 200 and < 300))
        {
            return result;
        }

        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<NotAudited>() is null && Caller.Of(http.User) is { } caller && http.GetRouteValue("tenant") is string tenant)
        {
            var operation = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? http.Request.Method;
            await RecordAsync(http.RequestServices.GetRequiredService<IGrainFactory>(), tenant, caller, operation, Target(http, tenant, result));
        }

        return result;
    }

    /// <summary>
    /// Enters <paramref name="caller"/>'s change into <paramref name="tenant"/>'s audit history: <paramref name="operation"/>
    /// is the API operation that does the same (its operationId), <paramref name="target"/> what was changed, below the
    /// tenant — so a change made in the console reads as the API's would.
    /// </summary>
    public static Task RecordAsync(IGrainFactory grains, string tenant, Caller caller, string operation, string target) =>
        grains.GetGrain<IAuditGrain>(tenant).RecordAsync(new AdminChange(caller.Name, operation, target));

    private static int? Status(object? result) => result switch
    {
        INestedHttpResult nested => Status(nested.Result),
        IStatusCodeHttpResult { StatusCode: { } status } => status,
        _ => null,
    };

    /// <summary>
    /// What was changed: the path below the tenant, the stream a Shared Signals request names, and for a creation the
    /// new resource's location.
    /// </summary>
    private static string Target(HttpContext http, string tenant, object? result)
    {
        var path = http.Request.Path.Value ?? "";
        var prefix = $"/v1/tenants/{tenant}/";
        var target = path.StartsWith(prefix, StringComparison.Ordinal) ? path[prefix.Length..] : path;
        if (http.Request.Query["stream_id"] is [{ } stream])
        {
            target += "?stream_id=" + stream;
        }

        return Location(result) is { } location && location.StartsWith(prefix, StringComparison.Ordinal) ? location[prefix.Length..] : target;
    }

    private static string? Location(object? result) => result switch
    {
        INestedHttpResult nested => Location(nested.Result),
        null => null,
        _ => result.GetType().GetProperty("Location")?.GetValue(result) as string,
    };
}
