using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// The authorization policies, applied once per endpoint group (docs/security.md): one per role for service
/// credentials — role, tenant, and for list-all the key's TOTP — and one for end users' session tokens.
/// </summary>
public static class SessionsPolicies
{
    public const string Write = SessionRoleNames.Write;
    public const string Read = SessionRoleNames.Read;
    public const string ReadAll = SessionRoleNames.ReadAll;
    public const string Revoke = SessionRoleNames.Revoke;
    public const string Events = SessionRoleNames.Events;
    public const string Admin = SessionRoleNames.Admin;

    /// <summary>Revoke by query and its jobs: <c>sessions:revoke</c> and <c>sessions:read-all</c> (with the key's TOTP).</summary>
    public const string RevokeByQuery = "sessions:revoke+read-all";

    /// <summary>An end user with their own session token.</summary>
    public const string Self = "sessions:self";

    /// <summary>A key with <paramref name="role"/>, or the session token of the user named by <paramref name="userRouteValue"/>.</summary>
    public static AuthorizationPolicy RoleOrOwner(SessionRoles role, string userRouteValue) =>
        new AuthorizationPolicyBuilder().AddRequirements(new RoleOrOwnerRequirement(role, userRouteValue)).Build();

    public static IServiceCollection AddSessionsAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<SessionTokenAuthenticator>();
        services.AddSingleton<TotpVerifier>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SessionsAuthOptions>, SessionsAuthOptionsValidator>());
        services.AddOptions<SessionsAuthOptions>().ValidateOnStart();
        services.AddSingleton<IAuthorizationHandler, SessionsAuthorizationHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, SessionsAuthorizationResultHandler>();

        services.AddAuthentication(SessionsAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, SessionsAuthenticationHandler>(SessionsAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Write, p => p.AddRequirements(new RoleRequirement(SessionRoles.Write)))
            .AddPolicy(Read, p => p.AddRequirements(new RoleRequirement(SessionRoles.Read)))
            .AddPolicy(ReadAll, p => p.AddRequirements(new RoleRequirement(SessionRoles.ReadAll), TotpRequirement.Instance))
            .AddPolicy(Revoke, p => p.AddRequirements(new RoleRequirement(SessionRoles.Revoke)))
            .AddPolicy(RevokeByQuery, p => p.AddRequirements(new RoleRequirement(SessionRoles.Revoke | SessionRoles.ReadAll), TotpRequirement.Instance))
            .AddPolicy(Events, p => p.AddRequirements(new RoleRequirement(SessionRoles.Events)))
            .AddPolicy(Admin, p => p.AddRequirements(new RoleRequirement(SessionRoles.Admin)))
            .AddPolicy(Self, p => p.AddRequirements(SelfRequirement.Instance));
        return services;
    }
}

/// <summary>A service credential (not a session token) holding <see cref="Role"/> on the request's tenant.</summary>
public sealed record RoleRequirement(SessionRoles Role) : IAuthorizationRequirement;

/// <summary>
/// A service credential holding <see cref="Role"/> on the request's tenant, or the end user whose session
/// token names the user in the route value <see cref="UserRouteValue"/> (Symphony's <c>sessionToken</c>).
/// </summary>
public sealed record RoleOrOwnerRequirement(SessionRoles Role, string UserRouteValue) : IAuthorizationRequirement;

/// <summary>The caller's key, if it has a TOTP secret, sent a current code not used before.</summary>
public sealed class TotpRequirement : IAuthorizationRequirement
{
    public static TotpRequirement Instance { get; } = new();
}

/// <summary>An end user's session token.</summary>
public sealed class SelfRequirement : IAuthorizationRequirement
{
    public static SelfRequirement Instance { get; } = new();
}

/// <summary>Why a TOTP requirement failed, for the refusal's wording.</summary>
public sealed class TotpFailureReason(IAuthorizationHandler handler, AuthFailure failure) : AuthorizationFailureReason(handler, failure.ToString())
{
    public AuthFailure Failure { get; } = failure;
}

/// <summary>Decides the requirements above from the request's <see cref="Caller"/> and route.</summary>
public sealed class SessionsAuthorizationHandler(TotpVerifier totp, IOptionsMonitor<SessionsTenancyOptions> tenancy) : IAuthorizationHandler
{
    public async Task HandleAsync(AuthorizationHandlerContext context)
    {
        if (Caller.Of(context.User) is not { } caller || context.Resource is not HttpContext http)
        {
            return;
        }

        foreach (var requirement in context.Requirements) // the policy's list: it does not change as requirements succeed
        {
            switch (requirement)
            {
                case RoleRequirement role when caller.Kind != CallerKind.SessionToken
                    && (caller.Roles & role.Role) == role.Role
                    && caller.CoversTenant(TenantOf(http, caller)):
                    context.Succeed(requirement);
                    break;
                case SelfRequirement when caller.Kind == CallerKind.SessionToken:
                    context.Succeed(requirement);
                    break;
                case RoleOrOwnerRequirement owner when caller.Kind == CallerKind.SessionToken
                    ? string.Equals(http.GetRouteValue(owner.UserRouteValue) as string, caller.UserId, StringComparison.Ordinal)
                    : (caller.Roles & owner.Role) == owner.Role && caller.CoversTenant(TenantOf(http, caller)):
                    context.Succeed(requirement);
                    break;
                case TotpRequirement:
                    break;
                default:
                    context.Fail();
                    return;
            }
        }

        // The second factor is checked last, and only for a caller that has the right otherwise, so that a
        // refused request never uses up a code.
        if (context.PendingRequirements.Contains(TotpRequirement.Instance))
        {
            if (caller.TotpKey is null)
            {
                context.Succeed(TotpRequirement.Instance);
                return;
            }

            var surface = ApiSurface.For(http);
            var code = http.Request.Headers[surface.TotpHeader];
            var method = surface.TotpMethodHeader is { } methodHeader ? http.Request.Headers[methodHeader] : default;
            if (code.Count == 0)
            {
                context.Fail(new TotpFailureReason(this, AuthFailure.TotpRequired));
            }
            else if (code.Count == 1 && (method.Count == 0 || string.Equals(method, "totp", StringComparison.OrdinalIgnoreCase))
                && await totp.VerifyAsync(caller.Name, caller.TotpKey, code[0]))
            {
                context.Succeed(TotpRequirement.Instance);
            }
            else
            {
                context.Fail(new TotpFailureReason(this, AuthFailure.TotpInvalid));
            }
        }
    }

    private string TenantOf(HttpContext http, Caller caller) => ApiSurface.TenantOf(http, caller, tenancy.CurrentValue.DefaultTenant);
}

/// <summary>Answers refused requests in the shape of the surface they were sent to.</summary>
public sealed class SessionsAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            return ApiSurface.For(context).WriteFailureAsync(context, SessionsAuthenticationHandler.AuthFailureOf(context));
        }

        if (authorizeResult.Forbidden)
        {
            var totp = authorizeResult.AuthorizationFailure?.FailureReasons.OfType<TotpFailureReason>().FirstOrDefault();
            return ApiSurface.For(context).WriteFailureAsync(context, totp?.Failure ?? AuthFailure.Forbidden);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

/// <summary>The <c>Sessions</c> settings that say which tenant a route without one acts on.</summary>
public sealed class SessionsTenancyOptions
{
    /// <summary><c>Sessions:DefaultTenant</c>: the tenant of façades whose paths name none (docs/security.md, "Tenant scope").</summary>
    public string DefaultTenant { get; set; } = "default";
}
