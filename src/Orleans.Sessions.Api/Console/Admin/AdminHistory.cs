using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Audit;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Audit;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// The tenant's audit history (docs/console.md, "Audit"; docs/audit.md): the API's <c>GET …/audit</c> as a page, with
/// its filters, its keyset pages and its role (<c>sessions:admin</c>).
/// </summary>
public static class AdminHistory
{
    /// <summary>The page's fields, by their names in the query (the API's).</summary>
    private static readonly string[] Fields = ["userId", "actor", "kind", "since", "until", "limit", "cursor"];

    public static void MapAdminHistory(this RouteGroupBuilder tenant) =>
        tenant.MapGet("/audit", ReadAsync).WithMetadata(new RequiresRoles(SessionRoles.Admin));

    private static async Task<IResult> ReadAsync(HttpContext http, IGrainFactory grains)
    {
        var admin = AdminView.Of(http);
        var values = Fields
            .Select(name => (name, value: http.Request.Query[name].ToString().Trim()))
            .Where(f => f.value.Length > 0)
            .ToDictionary(f => f.name, f => f.value, StringComparer.Ordinal);
        var parameters = new AuditParameters
        {
            UserId = values.GetValueOrDefault("userId"),
            Actor = values.GetValueOrDefault("actor"),
            Kind = values.GetValueOrDefault("kind"),
            Since = values.GetValueOrDefault("since"),
            Until = values.GetValueOrDefault("until"),
            Limit = values.GetValueOrDefault("limit"),
            Cursor = values.GetValueOrDefault("cursor"),
        };
        var errors = new InputErrors();
        parameters.Validate(errors);
        if (!errors.IsEmpty)
        {
            return ConsoleEndpoints.Page<AuditPage>(new { Model = new AuditModel(admin, values, errors.ToDictionary(), null, null) }, StatusCodes.Status400BadRequest);
        }

        var (entries, next) = await AuditApi.ReadPageAsync(grains, admin.Tenant!, parameters.Query);
        var path = admin.PathOf("audit");
        string Href(string? cursor) => path + QueryString.Create(
            values.Where(v => v.Key != "cursor").Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))
                .Concat(cursor is null ? [] : [KeyValuePair.Create("cursor", (string?)cursor)]));
        var nextHref = next is null ? null : Href(next);
        var firstHref = values.ContainsKey("cursor") ? Href(null) : null;
        return ConsoleEndpoints.Page<AuditPage>(new { Model = new AuditModel(admin, values, AdminView.NoErrors, entries, new AuditPages(firstHref, nextHref)) });
    }
}

/// <summary>The audit page: its filters as filled in, the rules they broke, and a page of entries (none when refused).</summary>
public sealed record AuditModel(
    AdminView Admin,
    IReadOnlyDictionary<string, string> Values,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyList<AuditEntry>? Entries,
    AuditPages? Pages)
{
    public string Value(string name) => Values.GetValueOrDefault(name) ?? "";

    public IReadOnlyList<string>? ErrorsOf(string name) => Errors.TryGetValue(name, out var errors) ? errors : null;
}

/// <summary>The addresses of the first page (on a later one) and the next (when there is one).</summary>
public sealed record AuditPages(string? FirstHref, string? NextHref);
