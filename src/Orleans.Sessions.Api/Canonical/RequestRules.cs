using System.Net;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>The rules of the canonical bodies' nested parts (client hints, impersonator, location) and their bounds.</summary>
public static class RequestRules
{
    public const long MinLifetimeSeconds = 60;
    public const long MaxLifetimeSeconds = 400L * 24 * 3600;
    public const int MaxClientHints = 16;
    public const int MaxClientHintLength = 1024;

    /// <summary>The longest <c>reason</c> a revoke keeps.</summary>
    public const int MaxReasonLength = 512;
    public const int MaxPlaceNameLength = 128;
    public const int MaxEmailLength = 320;

    private static readonly HashSet<string> KnownClientHints = new(StringComparer.OrdinalIgnoreCase)
    {
        "Sec-CH-UA", "Sec-CH-UA-Full-Version-List", "Sec-CH-UA-Platform", "Sec-CH-UA-Platform-Version",
        "Sec-CH-UA-Mobile", "Sec-CH-UA-Model", "Sec-CH-UA-Arch", "Sec-CH-UA-Bitness", "Sec-CH-UA-Full-Version",
        "Sec-CH-UA-WoW64", "Sec-CH-UA-Form-Factors",
    };

    public static Impersonator? Impersonator(InputErrors errors, ImpersonatorInput? input)
    {
        if (input is null)
        {
            return null;
        }

        var email = input.Email;
        var at = email?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (email is not { Length: > 2 and <= MaxEmailLength } || at <= 0 || at == email.Length - 1
            || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add("impersonator.email", $"'impersonator.email' must be an email address of at most {MaxEmailLength} characters.");
            return null;
        }

        InputRules.Text(errors, "impersonator.reason", input.Reason, maxLength: MaxReasonLength);
        return new Impersonator(email, input.Reason);
    }

    public static void ClientHints(InputErrors errors, Dictionary<string, string>? hints)
    {
        if (hints is null)
        {
            return;
        }

        if (hints.Count > MaxClientHints)
        {
            errors.Add("clientHints", $"'clientHints' may have at most {MaxClientHints} entries.");
            return;
        }

        foreach (var (name, value) in hints)
        {
            if (!KnownClientHints.Contains(name))
            {
                errors.Add("clientHints", $"'{name}' is not a user-agent client hint (Sec-CH-UA, Sec-CH-UA-Platform, ...).");
            }
            else if (value is null || value.Length > MaxClientHintLength || value.Any(char.IsControl))
            {
                errors.Add("clientHints", $"'{name}' must be at most {MaxClientHintLength} characters without control characters.");
            }
        }
    }

    public static void Location(InputErrors errors, LocationInput? location)
    {
        if (location is null)
        {
            return;
        }

        InputRules.Text(errors, "location.city", location.City, MaxPlaceNameLength);
        InputRules.Text(errors, "location.region", location.Region, MaxPlaceNameLength);
        InputRules.Text(errors, "location.country", location.Country, MaxPlaceNameLength);
        if (location.CountryCode is { } code && (code.Length != 2 || !code.All(char.IsAsciiLetter)))
        {
            errors.Add("location.countryCode", "'location.countryCode' must be an ISO 3166-1 alpha-2 code.");
        }

        if (location.Latitude is { } lat && (double.IsNaN(lat) || lat is < -90 or > 90))
        {
            errors.Add("location.latitude", "'location.latitude' must be between -90 and 90.");
        }

        if (location.Longitude is { } lon && (double.IsNaN(lon) || lon is < -180 or > 180))
        {
            errors.Add("location.longitude", "'location.longitude' must be between -180 and 180.");
        }
    }

    /// <summary>An explicit location in the request wins over the lookup but for the network (docs/devices-and-places.md); the grain stamps its time.</summary>
    public static Place? Place(LocationInput? input, IPAddress ip, ILocationResolver locations) =>
        input is null
            ? locations.Lookup(ip)
            : new Place(input.City, input.Region, input.Country, input.CountryCode?.ToUpperInvariant(), input.Latitude, input.Longitude)
            {
                Network = locations.Lookup(ip)?.Network, // a fact of the address, which the caller does not tell
            };
}
