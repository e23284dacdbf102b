using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Orleans.Sessions.Users;

/// <summary>
/// The values many sessions have in common — a user agent and what was parsed from it, a place's names, an
/// authentication method, a client id — kept once per silo and shared by every session that has them
/// (docs/operations.md, "Memory"). Each JSON body and each stored row arrives with strings of its own; a million
/// sessions on a few thousand devices would otherwise hold a million copies of each. Bounded: past
/// <see cref="MaxEntries"/> values of a kind, or for a string longer than <see cref="MaxLength"/>, a value is kept as
/// it came; nothing is ever evicted.
/// </summary>
internal static class SharedValues
{
    public const int MaxEntries = 1 << 16;
    public const int MaxLength = 1024;

    private static readonly Pool<string> Strings = new(StringComparer.Ordinal);
    private static readonly Pool<DeviceInfo> Devices = new(EqualityComparer<DeviceInfo>.Default);
    private static readonly Pool<NetworkInfo> Networks = new(EqualityComparer<NetworkInfo>.Default);

    /// <summary>The shared instance of <paramref name="value"/>.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Share(string? value) => value is null || value.Length > MaxLength ? value : Strings.Share(value);

    /// <summary>
    /// <paramref name="device"/> with everything but its hash shared: the hash is the user's own
    /// (docs/devices-and-places.md), so it stays the session's.
    /// </summary>
    public static DeviceInfo Share(DeviceInfo device)
    {
        if (device.UserAgent?.Length > MaxLength)
        {
            return device;
        }

        var template = device with { Hash = null };
        var shared = Devices.Find(template) ?? Devices.Share(new DeviceInfo(
            Share(device.UserAgent),
            new BrowserInfo(Share(device.Browser.Name), Share(device.Browser.Version), Share(device.Browser.Major)),
            new OsInfo(Share(device.Os.Name), Share(device.Os.Version)),
            Share(device.Type),
            Share(device.Vendor),
            Share(device.Model),
            null));
        return device.Hash is null ? shared : shared with { Hash = device.Hash };
    }

    /// <summary><paramref name="place"/> with its names shared.</summary>
    [return: NotNullIfNotNull(nameof(place))]
    public static Place? Share(Place? place) =>
        place is null ? null : place with { City = Share(place.City), Region = Share(place.Region), Country = Share(place.Country), CountryCode = Share(place.CountryCode), Network = Share(place.Network) };

    /// <summary>The shared instance of <paramref name="network"/>: an address's network is that of many.</summary>
    [return: NotNullIfNotNull(nameof(network))]
    private static NetworkInfo? Share(NetworkInfo? network) =>
        network is null ? null : Networks.Find(network) ?? Networks.Share(network with { Organization = Share(network.Organization) });

    /// <summary>
    /// <paramref name="session"/> with its common values shared: the same session, for a ring just read from storage,
    /// whose rows came with strings of their own.
    /// </summary>
    public static Session Share(Session session) => session with
    {
        AuthMethod = Share(session.AuthMethod),
        ClientIds = [.. session.ClientIds.Select(c => Share(c))],
        OrganizationId = Share(session.OrganizationId),
        PopulationId = Share(session.PopulationId),
        Host = Share(session.Host),
        Device = Share(session.Device),
        LastSignOn = Share(session.LastSignOn),
        SignOns = [.. session.SignOns.Select(Share)],
        Locations = [.. session.Locations.Select(Share)],
    };

    private static SignOnEvent Share(SignOnEvent signOn) => signOn with { Method = Share(signOn.Method) };

    private static GeoLocation Share(GeoLocation location) => location with
    {
        City = Share(location.City),
        Region = Share(location.Region),
        Country = Share(location.Country),
        CountryCode = Share(location.CountryCode),
        Network = Share(location.Network),
    };

    private sealed class Pool<T>(IEqualityComparer<T> comparer) where T : class
    {
        private readonly ConcurrentDictionary<T, T> _values = new(comparer);
        private int _count;

        public T? Find(T value) => _values.TryGetValue(value, out var shared) ? shared : null;

        public T Share(T value)
        {
            if (_values.TryGetValue(value, out var shared))
            {
                return shared;
            }

            if (Volatile.Read(ref _count) >= MaxEntries)
            {
                return value;
            }

            shared = _values.GetOrAdd(value, value);
            if (ReferenceEquals(shared, value))
            {
                Interlocked.Increment(ref _count);
            }

            return shared;
        }
    }
}
