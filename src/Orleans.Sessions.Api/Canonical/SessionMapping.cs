using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>
/// Grain records to canonical wire contracts. Each list becomes one array of its exact length (no iterator, no list
/// and wrapper), and the client ids are the record's own array: a user's list maps ten sessions on every read.
/// </summary>
public static class SessionMapping
{
    public static SessionResponse ToResponse(this Session s) => new(
        s.Id,
        s.Tenant,
        s.UserId,
        s.Status,
        s.CreatedAt,
        s.ActiveAt,
        s.ExpiresAt,
        s.IdleExpiresAt,
        s.EndedAt,
        s.AuthMethod,
        ImmutableCollectionsMarshal.AsArray(s.ClientIds) ?? [],
        s.OrganizationId,
        s.PopulationId,
        s.Host,
        s.Impersonator is { } i ? new ImpersonatorResponse(i.Email, i.Reason) : null,
        ToResponse(s.Device),
        ToResponse(s.LastSignOn),
        Map(s.SignOns, ToResponse),
        Map(s.Locations, ToResponse),
        s.End is { } e ? new EndResponse(e.By, e.Reason, e.JobId) : null,
        s.ExternalSessionId,
        s.Metadata,
        s.Risk is { } r ? new RiskResponse(ImmutableCollectionsMarshal.AsArray(r.Signals) ?? [], r.Score, r.EvaluatedAt) : null);

    private static TOut[] Map<TIn, TOut>(ImmutableArray<TIn> items, Func<TIn, TOut> map)
    {
        if (items.IsDefaultOrEmpty)
        {
            return [];
        }

        var mapped = new TOut[items.Length];
        for (var i = 0; i < mapped.Length; i++)
        {
            mapped[i] = map(items[i]);
        }

        return mapped;
    }

    private static DeviceResponse ToResponse(DeviceInfo d) => new(
        d.UserAgent,
        new BrowserResponse(d.Browser.Name, d.Browser.Version, d.Browser.Major),
        new OsResponse(d.Os.Name, d.Os.Version),
        d.Type,
        d.Vendor,
        d.Model,
        d.Hash);

    private static SignOnEventResponse ToResponse(SignOnEvent e) => new(e.At, e.Ip, e.Method);

    private static LocationResponse ToResponse(GeoLocation l) =>
        new(l.At, l.Ip, l.City, l.Region, l.Country, l.CountryCode, l.Latitude, l.Longitude, l.Network is { } n ? ToResponse(n) : null);

    private static NetworkResponse ToResponse(NetworkInfo n) =>
        new(n.Asn, n.Organization, n.Anonymous, n.Hosting, ImmutableCollectionsMarshal.AsArray(n.Anonymizers) ?? []);
}
