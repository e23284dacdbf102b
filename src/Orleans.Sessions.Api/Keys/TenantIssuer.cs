using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Api.Keys;

/// <summary>
/// The issuer the service names itself as for a tenant (docs/keys.md, "Issuer"): <c>{Sessions:PublicUrl}/v1/tenants/{tenant}</c>,
/// or — without that setting — the scheme, host and base path the request came to. Its JWKS is at
/// <c>{issuer}/.well-known/jwks.json</c>.
/// </summary>
public static class TenantIssuer
{
    public const string PublicUrlKey = "Sessions:PublicUrl";

    public static string For(HttpContext http, string tenant)
    {
        var configured = http.RequestServices.GetRequiredService<IConfiguration>()[PublicUrlKey];
        var root = configured is { Length: > 0 } ? configured.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return $"{root}/v1/tenants/{Uri.EscapeDataString(tenant)}";
    }

    public static string JwksUri(string issuer) => issuer + "/.well-known/jwks.json";
}
