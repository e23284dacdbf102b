using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// Authenticates every API surface: asks the surface's credential readers (<see cref="ApiSurface.For"/>)
/// what the request presents, then checks it — a key's secret against <see cref="ApiKeyRing"/>, a session
/// token against its user grain. No credential is anonymous (the policies then answer 401); a credential
/// that does not check out fails. Nothing presented is ever logged.
/// </summary>
public sealed class SessionsAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ApiKeyRing keys,
    SessionTokenAuthenticator tokens,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "Sessions";

    private static readonly object InvalidCredentialItem = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedCredential.None;
        foreach (var reader in ApiSurface.For(Context).CredentialReaders)
        {
            presented = reader.Read(Request);
            if (presented.Form != CredentialForm.None)
            {
                break;
            }
        }

        var caller = presented.Form switch
        {
            CredentialForm.None => null,
            CredentialForm.Secret => keys.Authenticate(presented.Secret),
            CredentialForm.NamedSecret => keys.Authenticate(presented.Name!, presented.Secret),
            CredentialForm.SessionToken => await tokens.AuthenticateAsync(presented.Secret) is { } user
                && (presented.Name is null || string.Equals(presented.Name, user.UserId, StringComparison.Ordinal)) ? user : null,
            _ => null,
        };
        if (caller is not null)
        {
            return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));
        }

        if (presented.Form == CredentialForm.None)
        {
            return AuthenticateResult.NoResult();
        }

        Context.Items[InvalidCredentialItem] = true;
        return AuthenticateResult.Fail("The credential is not valid.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiSurface.For(Context).WriteFailureAsync(Context, AuthFailureOf(Context));

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiSurface.For(Context).WriteFailureAsync(Context, AuthFailure.Forbidden);

    /// <summary>Missing or invalid: what the request's authentication came to.</summary>
    internal static AuthFailure AuthFailureOf(Microsoft.AspNetCore.Http.HttpContext context) =>
        context.Items.ContainsKey(InvalidCredentialItem) ? AuthFailure.InvalidCredential : AuthFailure.MissingCredential;
}
