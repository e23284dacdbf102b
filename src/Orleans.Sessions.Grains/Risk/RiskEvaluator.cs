using System.Collections.Frozen;
using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Policy;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Risk;

/// <summary>
/// What one evaluation looks at: the session, its device (<see cref="DeviceIsNew"/> when this is its sign-on, so
/// <c>new_device</c> applies), the authentication method when there is one (a sign-on or re-authentication: <c>bot_agent</c>
/// applies) and the place of the address, as far as it is known.
/// </summary>
internal readonly record struct RiskInput(string SessionId, DeviceInfo Device, bool DeviceIsNew, string? AuthMethod, Place? Place);

/// <summary>
/// The risk signals of docs/risk.md, judged against the user's <see cref="RiskHistory"/> and their other active sessions.
/// Pure: time comes in as an argument. Unknown stays unknown — a device, country, place or network nobody knows raises
/// nothing, and neither does a user with no history yet (there is nothing to be unusual against).
/// </summary>
public sealed class RiskEvaluator(IOptions<SessionsOptions> options)
{
    // The parser's names (docs/devices-and-places.md): the device type of crawlers, and what an unknown agent parses to.
    private const string BotType = "bot";
    private const string UnknownName = "Other";

    private readonly RiskOptions _options = options.Value.Risk;
    private readonly FrozenSet<long> _hostingAsns = options.Value.Risk.HostingAsns.ToFrozenSet();
    private readonly FrozenSet<string> _nonInteractive = options.Value.Risk.NonInteractiveAuthMethods.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    internal RiskSettings Settings(RiskPolicy? policy) => new(_options, policy);

    /// <summary>The signals <paramref name="input"/> raises, in <see cref="RiskSignals.All"/>'s order.</summary>
    internal ImmutableArray<string> Evaluate(RiskHistory history, RiskSettings settings, RiskInput input, IEnumerable<Session> active, DateTimeOffset now)
    {
        var signals = ImmutableArray.CreateBuilder<string>();
        if (input.DeviceIsNew && IsNewDevice(history, settings, input.Device, now))
        {
            signals.Add(RiskSignals.NewDevice);
        }

        var place = input.Place;
        if (place?.CountryCode is { } country && IsNewCountry(history, settings, country, now))
        {
            signals.Add(RiskSignals.NewCountry);
        }

        if (place is { Latitude: { } latitude, Longitude: { } longitude })
        {
            if (IsImpossibleTravel(history, settings, latitude, longitude, now))
            {
                signals.Add(RiskSignals.ImpossibleTravel);
            }

            if (IsConcurrentDistant(settings, input.SessionId, latitude, longitude, active))
            {
                signals.Add(RiskSignals.ConcurrentDistant);
            }
        }

        if (place?.Network is { } network && (network.Anonymous == true || network.Hosting == true || (network.Asn is { } asn && _hostingAsns.Contains(asn))))
        {
            signals.Add(RiskSignals.AnonymousNetwork);
        }

        if (input.AuthMethod is { } method && input.Device.Type == BotType && !_nonInteractive.Contains(method))
        {
            signals.Add(RiskSignals.BotAgent);
        }

        return signals.ToImmutable();
    }

    /// <summary>
    /// The session's risk after an evaluation found <paramref name="found"/>: every signal raised over its life, scored;
    /// <paramref name="added"/> the ones it did not have.
    /// </summary>
    internal static SessionRisk Combine(SessionRisk? existing, ImmutableArray<string> found, RiskSettings settings, DateTimeOffset now, out ImmutableArray<string> added)
    {
        var had = existing?.Signals ?? [];
        added = [.. found.Where(s => !had.Contains(s))];
        var signals = added.IsEmpty ? had : [.. had.Concat(added).OrderBy(RiskSignals.IndexOf)];
        var score = 0;
        foreach (var signal in signals)
        {
            score += settings.Weight(signal);
        }

        return new SessionRisk(signals, Math.Min(100, score), now) { PreviousScore = added.IsEmpty ? existing?.PreviousScore : existing?.Score };
    }

    /// <summary>Adds what <paramref name="input"/> showed to the user's history, forgetting what is past its memory or beyond the bounds.</summary>
    internal void Remember(RiskHistory history, RiskSettings settings, RiskInput input, DateTimeOffset now)
    {
        if (input.DeviceIsNew && IsKnown(input.Device) && input.Device.Hash is { } hash)
        {
            history.Devices.RemoveAll(d => d.Hash == hash || d.LastSeen < now - settings.DeviceMemory);
            history.Devices.Add(new SeenDevice(hash, now));
            TrimOldest(history.Devices, _options.MaxDevices);
        }

        if (input.Place?.CountryCode is { } country)
        {
            history.Countries.RemoveAll(c => c.Code == country || c.LastSeen < now - settings.CountryMemory);
            history.Countries.Add(new SeenCountry(country, now));
            TrimOldest(history.Countries, _options.MaxCountries);
        }

        if (input.Place is { Latitude: { } latitude, Longitude: { } longitude })
        {
            var seen = new SeenPlace(now, latitude, longitude);
            if (history.Places.Count > 0 && history.Places[0] is { } newest && newest.Latitude == latitude && newest.Longitude == longitude)
            {
                history.Places[0] = seen;
                return;
            }

            history.Places.Insert(0, seen);
            if (history.Places.Count > _options.MaxPlaces)
            {
                history.Places.RemoveRange(_options.MaxPlaces, history.Places.Count - _options.MaxPlaces);
            }
        }
    }

    /// <summary>Activity from the user's newest place: it is where they were last seen now (the next travel is timed from here).</summary>
    internal static void StillAt(RiskHistory history, Place? place, DateTimeOffset now)
    {
        if (place is { Latitude: { } latitude, Longitude: { } longitude } && history.Places.Count > 0
            && history.Places[0] is { } newest && newest.Latitude == latitude && newest.Longitude == longitude && newest.At < now)
        {
            history.Places[0] = newest with { At = now };
        }
    }

    private static bool IsNewDevice(RiskHistory history, RiskSettings settings, DeviceInfo device, DateTimeOffset now)
    {
        if (!IsKnown(device) || device.Hash is not { } hash)
        {
            return false;
        }

        var since = now - settings.DeviceMemory;
        var baseline = false;
        foreach (var seen in history.Devices)
        {
            if (seen.LastSeen >= since)
            {
                if (seen.Hash == hash)
                {
                    return false;
                }

                baseline = true;
            }
        }

        return baseline;
    }

    /// <summary>A device without a user agent that parsed to nothing is no device anybody knows.</summary>
    private static bool IsKnown(DeviceInfo device) =>
        device.UserAgent is not null || device.Browser.Name != UnknownName || device.Os.Name != UnknownName;

    private static bool IsNewCountry(RiskHistory history, RiskSettings settings, string country, DateTimeOffset now)
    {
        var since = now - settings.CountryMemory;
        var baseline = false;
        foreach (var seen in history.Countries)
        {
            if (seen.LastSeen >= since)
            {
                if (string.Equals(seen.Code, country, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }

                baseline = true;
            }
        }

        return baseline;
    }

    /// <summary>
    /// Faster than <see cref="RiskSettings.MaxSpeedKmh"/> from the user's last place to this one, over at least
    /// <see cref="RiskSettings.MinTravelKm"/> (nearby cities minutes apart are GeoIP's coarseness, not travel).
    /// </summary>
    private static bool IsImpossibleTravel(RiskHistory history, RiskSettings settings, double latitude, double longitude, DateTimeOffset now)
    {
        if (history.Places.Count == 0)
        {
            return false;
        }

        var last = history.Places[0];
        var km = GreatCircle.Km(last.Latitude, last.Longitude, latitude, longitude);
        if (km < Math.Max(settings.MinTravelKm, 1))
        {
            return false;
        }

        var hours = Math.Max(0, (now - last.At).TotalHours);
        return hours == 0 || km / hours > settings.MaxSpeedKmh;
    }

    /// <summary>Another active session of the user was last used from a place further than <see cref="RiskSettings.DistantKm"/> away.</summary>
    private static bool IsConcurrentDistant(RiskSettings settings, string sessionId, double latitude, double longitude, IEnumerable<Session> active)
    {
        foreach (var other in active)
        {
            if (other.Id == sessionId)
            {
                continue;
            }

            foreach (var location in other.Locations)
            {
                if (location is { Latitude: { } otherLatitude, Longitude: { } otherLongitude })
                {
                    if (GreatCircle.Km(otherLatitude, otherLongitude, latitude, longitude) > settings.DistantKm)
                    {
                        return true;
                    }

                    break; // the session's newest place with coordinates is where it is
                }
            }
        }

        return false;
    }

    private static void TrimOldest<T>(List<T> seen, int max)
    {
        // Appended in time order: the oldest is first.
        if (seen.Count > max)
        {
            seen.RemoveRange(0, seen.Count - max);
        }
    }
}
