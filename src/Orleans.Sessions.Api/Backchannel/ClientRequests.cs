using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Backchannel;

namespace Orleans.Sessions.Api.Backchannel;

/// <summary>
/// A back-channel logout client's registration: OpenID Connect's client metadata <c>client_id</c>,
/// <c>backchannel_logout_uri</c> and <c>backchannel_logout_session_required</c>, camelCased as the rest of the API; the
/// issuer its tokens name (default: the tenant's, docs/keys.md "Issuer"); on or off; a description.
/// </summary>
[RequestContract]
public sealed record BackchannelClientRequest(
    [property: RegularExpression(WirePatterns.ClientId)] string? ClientId,
    [property: MaxLength(ClientRules.MaxUrlLength), Url, RegularExpression(WirePatterns.HttpUrl)] string? BackchannelLogoutUri,
    [property: Description("Whether the client needs sid in its logout tokens (they always carry it here).")] bool? BackchannelLogoutSessionRequired,
    [property: MaxLength(ClientRules.MaxUrlLength), Url, RegularExpression(WirePatterns.HttpUrl), Description("The iss of the client's logout tokens; default the tenant's issuer.")] string? Issuer,
    bool? Enabled,
    [property: MaxLength(ClientRules.MaxDescriptionLength), RegularExpression(WirePatterns.Text)] string? Description)
{
    /// <summary>The spec the registration asks for, or the errors that refuse it.</summary>
    /// <param name="errors">Where refusals are told.</param>
    /// <param name="tenantIssuer">The tenant's issuer, for a registration that names none.</param>
    /// <param name="allowPrivateNetworks">Whether the logout URI may be on a private network.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<BackchannelClientSpec?> ToSpecAsync(InputErrors errors, string tenantIssuer, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (ClientId is null)
        {
            errors.Add("clientId", "'clientId' is required.");
        }

        if (BackchannelLogoutUri is null)
        {
            errors.Add("backchannelLogoutUri", "'backchannelLogoutUri' is required.");
        }

        InputRules.ClientId(errors, "clientId", ClientId);
        await ClientRules.CheckAsync(errors, BackchannelLogoutUri, Issuer, Description, allowPrivateNetworks, cancellationToken);
        return errors.IsEmpty
            ? new BackchannelClientSpec(ClientId, BackchannelLogoutUri, BackchannelLogoutSessionRequired, Issuer ?? tenantIssuer, Enabled, Description)
            : null;
    }
}

/// <summary>A change of a back-channel logout client (<c>PATCH</c>): each member optional; the client id does not change.</summary>
[RequestContract]
public sealed record BackchannelClientUpdate(
    [property: MaxLength(ClientRules.MaxUrlLength), Url, RegularExpression(WirePatterns.HttpUrl)] string? BackchannelLogoutUri,
    bool? BackchannelLogoutSessionRequired,
    [property: MaxLength(ClientRules.MaxUrlLength), Url, RegularExpression(WirePatterns.HttpUrl)] string? Issuer,
    bool? Enabled,
    [property: MaxLength(ClientRules.MaxDescriptionLength), RegularExpression(WirePatterns.Text)] string? Description)
{
    /// <summary>The change the request asks for, or the errors that refuse it.</summary>
    /// <param name="errors">Where refusals are told.</param>
    /// <param name="allowPrivateNetworks">Whether the logout URI may be on a private network.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async Task<BackchannelClientSpec?> ToSpecAsync(InputErrors errors, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        await ClientRules.CheckAsync(errors, BackchannelLogoutUri, Issuer, Description, allowPrivateNetworks, cancellationToken);
        return errors.IsEmpty ? new BackchannelClientSpec(null, BackchannelLogoutUri, BackchannelLogoutSessionRequired, Issuer, Enabled, Description) : null;
    }
}

/// <summary>What registrations and changes of clients check alike.</summary>
internal static class ClientRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 256;

    public static async Task CheckAsync(InputErrors errors, string? logoutUri, string? issuer, string? description, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (logoutUri is not null)
        {
            await ReceiverUrl.CheckAsync(errors, "backchannelLogoutUri", logoutUri, MaxUrlLength, allowPrivateNetworks, cancellationToken);
        }

        if (issuer is not null && !ReceiverUrl.IsWellFormed(issuer, MaxUrlLength, out _))
        {
            errors.Add("issuer", $"'issuer' must be an absolute http or https URL of at most {MaxUrlLength} characters, without credentials or fragment.");
        }

        InputRules.Text(errors, "description", description, MaxDescriptionLength);
    }
}
