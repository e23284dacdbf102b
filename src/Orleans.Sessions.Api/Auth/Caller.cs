using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Auth;

/// <summary>What kind of credential a request was authenticated with.</summary>
public enum CallerKind
{
    /// <summary>A configured API key.</summary>
    ApiKey,

    /// <summary><c>Sessions:Auth:BootstrapKey</c>: every role on every tenant.</summary>
    Bootstrap,

    /// <summary>An end user's session token: their own sessions and nothing else.</summary>
    SessionToken,
}

/// <summary>
/// The authenticated caller of a request: who (for audit), what kind of credential, and what it may do.
/// Handlers receive it as a parameter; policies decide with it. Instances of API keys are shared and immutable.
/// </summary>
public sealed class Caller
{
    public const string AllTenants = "*";
    public const string BootstrapName = "bootstrap";
    public const string SelfName = "self";

    private Caller(string name, CallerKind kind, string tenant, SessionRoles roles, SessionScope scope, byte[]? totpKey, string? userId, string? sessionId)
    {
        Name = name;
        Kind = kind;
        Tenant = tenant;
        Roles = roles;
        Scope = scope;
        TotpKey = totpKey;
        UserId = userId;
        SessionId = sessionId;
    }

    /// <summary>The credential's name: a key's configured name, <c>bootstrap</c>, or <c>self</c> for a session token.</summary>
    public string Name { get; }

    public CallerKind Kind { get; }

    /// <summary>The tenant the credential belongs to, or <see cref="AllTenants"/>.</summary>
    public string Tenant { get; }

    public SessionRoles Roles { get; }

    /// <summary>The sessions the caller may see and act on.</summary>
    public SessionScope Scope { get; }

    /// <summary>The RFC 6238 key that list-all requires a code of, if any.</summary>
    public byte[]? TotpKey { get; }

    /// <summary>For a session token: the user it belongs to.</summary>
    public string? UserId { get; }

    /// <summary>For a session token: the session it belongs to.</summary>
    public string? SessionId { get; }

    /// <summary>What a request's rate limit is counted against: one per key, one per session token.</summary>
    public string RateLimitPartition => Kind == CallerKind.SessionToken ? $"session:{Tenant}/{UserId}/{SessionId}" : "key:" + Name;

    public static Caller ApiKey(string name, string tenant, SessionRoles roles, SessionScope scope, byte[]? totpKey) =>
        new(name, CallerKind.ApiKey, tenant, roles, scope, totpKey, null, null);

    public static Caller Bootstrap { get; } = new(BootstrapName, CallerKind.Bootstrap, AllTenants, SessionRoles.All, SessionScope.All, null, null, null);

    public static Caller SessionToken(string tenant, string userId, string sessionId) =>
        new(SelfName, CallerKind.SessionToken, tenant, SessionRoles.None, SessionScope.All, null, userId, sessionId);

    public bool CoversTenant(string? tenant) =>
        Tenant == AllTenants || string.Equals(Tenant, tenant, StringComparison.Ordinal);

    /// <summary>The caller of an authenticated request (the authorization policies guarantee one on every API endpoint).</summary>
    public static Caller? Of(ClaimsPrincipal? principal) => (principal?.Identity as CallerIdentity)?.Caller;

    /// <summary>Binds a handler parameter of this type from the authenticated request.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(Of(context.User));

    public ClaimsPrincipal ToPrincipal(string authenticationType) => new(new CallerIdentity(this, authenticationType));
}

/// <summary>An authenticated identity that carries its <see cref="Caller"/>.</summary>
public sealed class CallerIdentity(Caller caller, string authenticationType)
    : ClaimsIdentity([new Claim(ClaimTypes.Name, caller.Name)], authenticationType)
{
    public Caller Caller { get; } = caller;
}
