using System.Collections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api.Telemetry;

/// <summary>
/// Puts the tenant a request acts on into the logging scope of everything it logs (docs/operations.md, "Logs"), beside
/// the trace id ASP.NET Core puts there: with <c>Logging:Console:FormatterName=json</c> each line carries
/// <c>Scopes: [{ TraceId, SpanId, … }, { Tenant }]</c>. Only for requests that act on a tenant: one their route names, or
/// a credential's own; probes and scrapes have none.
/// </summary>
public sealed class TenantLogScope(RequestDelegate next, ILoggerFactory loggers, IOptionsMonitor<SessionsTenancyOptions> tenancy)
{
    private readonly ILogger _logger = loggers.CreateLogger("Orleans.Sessions.Api");

    public async Task InvokeAsync(HttpContext context)
    {
        var caller = Caller.Of(context.User);
        var named = context.GetRouteValue(ApiSurface.For(context).TenantRouteValue) is string;
        if (caller is null && !named)
        {
            await next(context);
            return;
        }

        using (_logger.BeginScope(new Scope(ApiSurface.TenantOf(context, caller, tenancy.CurrentValue.DefaultTenant))))
        {
            await next(context);
        }
    }

    /// <summary>One named value, so structured formatters write <c>{"Tenant": "…"}</c>.</summary>
    private sealed class Scope(string tenant) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new("Tenant", tenant) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => "Tenant:" + tenant;
    }
}
