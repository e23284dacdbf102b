using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Sessions.Api.Auth;

/// <summary>The authorization policies applied once per endpoint group.</summary>
public static class SessionsAuthorization
{
    /// <summary>Service callers (API keys, the bootstrap key; anonymous while that is allowed).</summary>
    public const string ServicePolicy = "sessions:service";

    public static IServiceCollection AddSessionsAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ServicePolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        return services;
    }
}
