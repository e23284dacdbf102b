using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.Keys;

/// <summary>
/// The issuer the service names itself as for a tenant (docs/keys.md, "Issuer"): <c>{Sessions:PublicUrl}/v1/tenants/{tenant}</c>,
/// or — without that setting — the scheme, host and base path the request came to. Its JWKS is at
/// <c>{issuer}/.well-known/jwks.json</c>.
/// </summary>
public static class TenantIssuer
{
    public static string For(HttpContext http, string tenant)
    {
        var configured = http.RequestServices.GetRequiredService<IOptions<PublicUrlOptions>>().Value.PublicUrl;
        var root = configured is { Length: > 0 } ? configured.TrimEnd('/') : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
        return $"{root}/v1/tenants/{Uri.EscapeDataString(tenant)}";
    }

    public static string JwksUri(string issuer) => issuer + "/.well-known/jwks.json";
}

/// <summary><c>Sessions:PublicUrl</c>: the address the service is reached at from outside, the root of every tenant's issuer.</summary>
public sealed class PublicUrlOptions
{
    public string? PublicUrl { get; set; }

    /// <summary>Absent, or an absolute http(s) URL without credentials, query or fragment.</summary>
    public bool IsValid() =>
        PublicUrl is null || (ReceiverUrl.IsWellFormed(PublicUrl, 2048, out var uri) && string.IsNullOrEmpty(uri.Query));
}
