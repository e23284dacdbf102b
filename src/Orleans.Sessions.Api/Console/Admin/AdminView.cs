using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Api.Auth;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// Who is using the administration pages and on which tenant: what every page needs to show its navigation (only the
/// parts the key's roles allow) and the sign-out form. Roles are the API's (docs/security.md, "Roles"), checked the same way.
/// </summary>
public sealed record AdminView(Caller Caller, string? Tenant, CsrfToken Csrf)
{
    public string KeyName => Caller.Name;

    /// <summary>Whether the key works on every tenant, so the tenant picker is offered.</summary>
    public bool AllTenants => Caller.Tenant == Caller.AllTenants;

    public bool CanRead => Has(SessionRoles.Read);

    public bool CanReadAll => Has(SessionRoles.ReadAll);

    public bool CanRevoke => Has(SessionRoles.Revoke);

    /// <summary>Revoke by query: <c>sessions:revoke</c> and <c>sessions:read-all</c>, as the API asks.</summary>
    public bool CanRevokeByQuery => Has(SessionRoles.Revoke | SessionRoles.ReadAll);

    public bool CanAdmin => Has(SessionRoles.Admin);

    /// <summary>Whether the key holds every one of <paramref name="roles"/>.</summary>
    public bool Has(SessionRoles roles) => (Caller.Roles & roles) == roles;

    /// <summary>The path of a page of this tenant: <c>/console/admin/tenants/{tenant}/{rest}</c>.</summary>
    public string PathOf(string rest) => AdminConsole.TenantPath(Tenant!, rest);

    /// <summary>A form's errors when it has none.</summary>
    public static IReadOnlyDictionary<string, string[]> NoErrors { get; } = new Dictionary<string, string[]>();

    private static readonly object Item = new();

    /// <summary>
    /// What the tenant group's filter admitted (filters run after parameter binding, so handlers ask here rather than
    /// bind a parameter).
    /// </summary>
    public static AdminView Of(HttpContext context) =>
        context.Items[Item] as AdminView ?? throw new InvalidOperationException("The request was not admitted to the administration pages.");

    internal void Keep(HttpContext context) => context.Items[Item] = this;
}
