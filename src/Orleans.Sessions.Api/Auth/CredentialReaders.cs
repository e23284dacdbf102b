using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Auth;

/// <summary>What a request presented as its credential.</summary>
public enum CredentialForm
{
    /// <summary>Nothing in the headers this reader looks at.</summary>
    None,

    /// <summary>Something, but not in a form this reader accepts: refused with 401.</summary>
    Malformed,

    /// <summary>An API key's (or the bootstrap key's) secret.</summary>
    Secret,

    /// <summary>A key's name and secret (Rocket.Chat's <c>X-User-Id</c> and <c>X-Auth-Token</c>).</summary>
    NamedSecret,

    /// <summary>An end user's session token (<c>sst_…</c>); with a name, the user it must belong to.</summary>
    SessionToken,
}

public readonly record struct PresentedCredential(CredentialForm Form, string Secret = "", string? Name = null)
{
    public static PresentedCredential None => default;

    public static PresentedCredential Malformed => new(CredentialForm.Malformed);

    /// <summary>A bare secret: a session token when it has the token's prefix, otherwise a key's secret.</summary>
    public static PresentedCredential FromSecret(string secret) => secret.Length == 0
        ? Malformed
        : new(secret.StartsWith(SessionToken.Prefix, StringComparison.Ordinal) ? CredentialForm.SessionToken : CredentialForm.Secret, secret);
}

/// <summary>
/// One way a credential can arrive in a request. A surface lists the readers it accepts; adding a header
/// style is adding a reader.
/// </summary>
public interface ICredentialReader
{
    PresentedCredential Read(HttpRequest request);
}

/// <summary><c>Authorization: Bearer &lt;secret or session token&gt;</c>; any other scheme is malformed.</summary>
public sealed class BearerCredentialReader : ICredentialReader
{
    public static BearerCredentialReader Instance { get; } = new();

    public PresentedCredential Read(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count == 0)
        {
            return PresentedCredential.None;
        }

        const string bearer = "Bearer ";
        var header = values.Count == 1 ? values[0] ?? "" : "";
        return header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            ? PresentedCredential.FromSecret(header[bearer.Length..].Trim())
            : PresentedCredential.Malformed;
    }
}

/// <summary>A secret or session token alone in a header of its own (Symphony's <c>sessionToken</c>, MonoCloud's <c>X-API-KEY</c>).</summary>
public sealed class HeaderCredentialReader(string headerName) : ICredentialReader
{
    public string HeaderName { get; } = headerName;

    public PresentedCredential Read(HttpRequest request)
    {
        var values = request.Headers[HeaderName];
        return values.Count switch
        {
            0 => PresentedCredential.None,
            1 => PresentedCredential.FromSecret(values[0]?.Trim() ?? ""),
            _ => PresentedCredential.Malformed,
        };
    }
}

/// <summary>
/// A key's name and its secret in two headers (Rocket.Chat's <c>X-User-Id</c> and <c>X-Auth-Token</c>); or an
/// end user's id and their session token, which must then be that user's.
/// </summary>
public sealed class NamedSecretCredentialReader(string nameHeader, string secretHeader) : ICredentialReader
{
    public string NameHeader { get; } = nameHeader;

    public string SecretHeader { get; } = secretHeader;

    public PresentedCredential Read(HttpRequest request)
    {
        var names = request.Headers[NameHeader];
        var secrets = request.Headers[SecretHeader];
        if (names.Count == 0 && secrets.Count == 0)
        {
            return PresentedCredential.None;
        }

        if (names.Count != 1 || secrets.Count != 1 || names[0] is not { Length: > 0 } name || secrets[0] is not { Length: > 0 } secret)
        {
            return PresentedCredential.Malformed;
        }

        var form = secret.StartsWith(SessionToken.Prefix, StringComparison.Ordinal) ? CredentialForm.SessionToken : CredentialForm.NamedSecret;
        return new PresentedCredential(form, secret, name);
    }
}
