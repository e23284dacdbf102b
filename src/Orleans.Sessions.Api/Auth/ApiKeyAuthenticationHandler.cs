using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// Authenticates service credentials sent as <c>Authorization: Bearer &lt;secret&gt;</c>. Secrets are
/// compared as SHA-256 hashes in constant time and never logged. A missing credential is anonymous
/// when <see cref="SessionsAuthOptions.AllowAnonymous"/> is on; a wrong one is always refused.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    IOptionsMonitor<SessionsAuthOptions> authOptions,
    IProblemDetailsService problems,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "SessionsApiKey";
    public const string BootstrapName = "bootstrap";
    public const string AnonymousName = "anonymous";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var options = authOptions.CurrentValue;
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return Task.FromResult(options.AllowAnonymous ? Success(AnonymousName) : AuthenticateResult.NoResult());
        }

        const string bearer = "Bearer ";
        if (!header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("Unsupported authorization scheme."));
        }

        var secret = header.AsSpan(bearer.Length).Trim();
        if (options.BootstrapKey is { Length: > 0 } bootstrap && SecretEquals(secret, bootstrap))
        {
            return Task.FromResult(Success(BootstrapName));
        }

        return Task.FromResult(AuthenticateResult.Fail("The credential is not valid."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", ApiProblems.UnauthorizedType, "A valid credential is required.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", ApiProblems.ForbiddenType, "The credential does not allow this operation.");

    private async Task WriteProblemAsync(int status, string title, string type, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Type = type, Detail = detail },
        });
    }

    private AuthenticateResult Success(string name)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static bool SecretEquals(ReadOnlySpan<char> presented, string expected)
    {
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToString()), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
