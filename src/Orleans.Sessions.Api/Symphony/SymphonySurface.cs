using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Compat;

namespace Orleans.Sessions.Api.Symphony;

/// <summary>The <c>sessionToken</c> header; errors as <see cref="SymphonyError"/>.</summary>
public sealed class SymphonySurface : ApiSurface
{
    public static SymphonySurface Instance { get; } = new();

    public override IReadOnlyList<ICredentialReader> CredentialReaders { get; } = [new HeaderCredentialReader("sessionToken")];

    public override string? Challenge => null;

    public override bool HasOwnErrorShape => true;

    public override (Type Body, string ContentType) ErrorBody(int status) => (typeof(SymphonyError), "application/json");

    public override Task WriteErrorAsync(HttpContext context, ProblemDetails problem)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        var message = status switch
        {
            StatusCodes.Status401Unauthorized => "Unauthorized: Session tokens invalid.",
            StatusCodes.Status403Forbidden => "Forbidden: Caller lacks necessary entitlement.",
            _ => FacadeSupport.MessageOf(problem),
        };
        return FacadeSupport.WriteJsonAsync(context, status, new SymphonyError(status, message));
    }
}
