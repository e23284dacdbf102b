using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Api.Http;

namespace Orleans.Sessions.Api.RocketChat;

/// <summary><c>X-User-Id</c> and <c>X-Auth-Token</c>, <c>x-2fa-code</c>; errors as Rocket.Chat's REST API writes them.</summary>
public sealed class RocketChatSurface : ApiSurface
{
    public static RocketChatSurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [new NamedSecretCredentialReader("X-User-Id", "X-Auth-Token")];

    public override string TotpHeader => "x-2fa-code";

    public override string? TotpMethodHeader => "x-2fa-method";

    public override string? Challenge => null;

    public override bool HasOwnErrorShape => true;

    public override (Type Body, string ContentType) ErrorBody(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => (typeof(RocketChatAuthError), "application/json"),
        _ => (typeof(RocketChatError), "application/json"),
    };

    public override int StatusOf(AuthFailure failure) =>
        failure is AuthFailure.TotpRequired or AuthFailure.TotpInvalid ? StatusCodes.Status400BadRequest : base.StatusOf(failure);

    public override Task WriteErrorAsync(HttpContext context, ProblemDetails problem)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        object body = problem.Type switch
        {
            ApiProblems.TotpRequiredType => new RocketChatTwoFactorError(false, "TOTP Required [totp-required]", "totp-required", new RocketChatTwoFactorDetails("totp", false, [])),
            ApiProblems.TotpInvalidType => new RocketChatTwoFactorError(false, "TOTP Invalid [totp-invalid]", "totp-invalid", new RocketChatTwoFactorDetails("totp", false, [])),
            _ when status == StatusCodes.Status401Unauthorized => new RocketChatAuthError("error", "You must be logged in to do this."),
            _ when status == StatusCodes.Status403Forbidden => new RocketChatError(false, "User does not have the permissions required for this action [error-unauthorized]", null),
            ApiProblems.SessionNotFoundType => new RocketChatError(false, "Session not found [error-session-not-found]", "error-session-not-found"),
            _ => new RocketChatError(false, FacadeSupport.MessageOf(problem), null),
        };
        return FacadeSupport.WriteJsonAsync(context, status, body);
    }
}
