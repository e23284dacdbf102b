using System.Net;
using System.Net.Sockets;
using Orleans.Sessions.Deliveries;

namespace Orleans.Sessions.Api.Http;

/// <summary>
/// Where the service is asked to post (a webhook's <c>url</c>, a client's <c>backchannelLogoutUri</c>): an absolute http
/// or https URL without credentials or fragment, and — unless <c>Sessions:Webhooks:AllowPrivateNetworks</c> — not on a
/// loopback, link-local or private network (docs/webhooks.md, "Private networks").
/// </summary>
public static class ReceiverUrl
{
    public static async Task CheckAsync(InputErrors errors, string field, string url, int maxLength, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        if (!IsWellFormed(url, maxLength, out var uri))
        {
            errors.Add(field, $"'{field}' must be an absolute http or https URL of at most {maxLength} characters, without credentials or fragment.");
            return;
        }

        if (allowPrivateNetworks)
        {
            return;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await PrivateNetworks.ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (SocketException)
        {
            errors.Add(field, $"'{uri.Host}' does not resolve.");
            return;
        }

        if (addresses.Length == 0 || addresses.Any(PrivateNetworks.IsPrivate))
        {
            errors.Add(field, $"'{uri.Host}' is on a loopback, link-local or private network: refused unless Sessions:Webhooks:AllowPrivateNetworks is set.");
        }
    }

    /// <summary>An absolute http or https URL of at most <paramref name="maxLength"/> characters, without credentials or fragment.</summary>
    public static bool IsWellFormed(string url, int maxLength, out Uri uri) =>
        Uri.TryCreate(url, UriKind.Absolute, out uri!) && url.Length <= maxLength
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Fragment);
}
