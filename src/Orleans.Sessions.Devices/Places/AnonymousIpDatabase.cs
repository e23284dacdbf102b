using System.Net;
using Microsoft.Extensions.Logging;

namespace Orleans.Sessions.Devices.Places;

/// <summary>
/// What an anonymous-IP database says of an address: whether it hides its user (<see cref="Anonymous"/>, with the
/// <see cref="Kinds"/> of anonymizer: <c>vpn</c>, <c>tor</c>, <c>public-proxy</c>, <c>residential-proxy</c>) and whether
/// it belongs to a hosting provider.
/// </summary>
public sealed record Anonymity(bool Anonymous, bool Hosting, IReadOnlyList<string> Kinds)
{
    /// <summary>Looked up and not listed: neither anonymous nor hosting, as far as the database knows.</summary>
    public static Anonymity None { get; } = new(false, false, []);
}

/// <summary>
/// A GeoIP2 Anonymous IP database (<c>Sessions:GeoIp:AnonymousIpDatabasePath</c>): VPNs, Tor exit nodes, proxies and
/// hosting providers. Reloaded when the file is replaced (<see cref="MaxMindFile"/>). The database lists only such
/// networks, so a public address it does not list is known not to be one (<see cref="Anonymity.None"/>); with no
/// database loaded, or for a private address, nothing is known (null).
/// </summary>
public sealed class AnonymousIpDatabase(string path, ILogger<AnonymousIpDatabase> logger) : IDisposable
{
    private readonly MaxMindFile _file = new(path, logger);

    /// <summary>Whether a database is loaded.</summary>
    public bool IsLoaded => _file.IsLoaded;

    public Anonymity? Lookup(IPAddress address)
    {
        address = PublicAddresses.Normalize(address);
        return PublicAddresses.IsPublic(address)
            ? _file.Lookup(
                reader => reader.TryAnonymousIP(address, out var listed) && listed is not null
                    && (listed.IsAnonymous || listed.IsAnonymousVpn || listed.IsTorExitNode || listed.IsPublicProxy || listed.IsResidentialProxy || listed.IsHostingProvider)
                    ? new Anonymity(
                        listed.IsAnonymous || listed.IsAnonymousVpn || listed.IsTorExitNode || listed.IsPublicProxy || listed.IsResidentialProxy,
                        listed.IsHostingProvider,
                        KindsOf(listed.IsAnonymousVpn, listed.IsTorExitNode, listed.IsPublicProxy, listed.IsResidentialProxy))
                    : Anonymity.None,
                unloaded: null,
                failed: null)
            : null;
    }

    public void Dispose() => _file.Dispose();

    private static string[] KindsOf(bool vpn, bool tor, bool publicProxy, bool residentialProxy)
    {
        var kinds = new List<string>(4);
        if (vpn)
        {
            kinds.Add("vpn");
        }

        if (tor)
        {
            kinds.Add("tor");
        }

        if (publicProxy)
        {
            kinds.Add("public-proxy");
        }

        if (residentialProxy)
        {
            kinds.Add("residential-proxy");
        }

        return [.. kinds];
    }
}
