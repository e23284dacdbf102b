using Microsoft.AspNetCore.Http;

namespace Orleans.Sessions.Api.Auth;

/// <summary>Why a request was refused before reaching its handler.</summary>
public enum AuthFailure
{
    /// <summary>401: no credential.</summary>
    MissingCredential,

    /// <summary>401: a credential that is malformed, unknown, or no longer valid.</summary>
    InvalidCredential,

    /// <summary>403: a valid credential without the right (role, tenant, or kind of credential).</summary>
    Forbidden,

    /// <summary>The key needs a TOTP code for this and none was sent.</summary>
    TotpRequired,

    /// <summary>The TOTP code is wrong, too old, or was used already.</summary>
    TotpInvalid,

    /// <summary>429: the credential's rate limit is used up; <c>Retry-After</c> is set.</summary>
    RateLimited,
}

/// <summary>
/// One API surface (the canonical API, or one of the seed APIs): which credential headers it accepts, where
/// its TOTP code comes from, and how it words a refusal. Attached to its endpoints as metadata, so that
/// authentication, authorization and rate limiting answer every surface in its own shape.
/// </summary>
public abstract class ApiSurface
{
    /// <summary>The readers tried in order; the first that finds something decides.</summary>
    public abstract IReadOnlyList<ICredentialReader> CredentialReaders { get; }

    /// <summary>The header a TOTP code comes in.</summary>
    public abstract string TotpHeader { get; }

    /// <summary>Writes the whole response for a refusal (status, headers, body).</summary>
    public abstract Task WriteFailureAsync(HttpContext context, AuthFailure failure);

    /// <summary>The surface of the endpoint a request was routed to; the canonical API when it has none.</summary>
    public static ApiSurface For(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ApiSurface>() ?? CanonicalSurface.Instance;
}
