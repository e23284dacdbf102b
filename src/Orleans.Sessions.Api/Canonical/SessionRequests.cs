using System.Net;
using Orleans.Sessions.Api.Enrichment;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Canonical;

/// <summary>Validates canonical request bodies and turns them into grain commands.</summary>
public static class SessionRequests
{
    public const long MinLifetimeSeconds = 60;
    public const long MaxLifetimeSeconds = 400L * 24 * 3600;
    public const int MaxClientHints = 16;
    public const int MaxClientHintLength = 1024;

    private static readonly HashSet<string> KnownClientHints = new(StringComparer.OrdinalIgnoreCase)
    {
        "Sec-CH-UA", "Sec-CH-UA-Full-Version-List", "Sec-CH-UA-Platform", "Sec-CH-UA-Platform-Version",
        "Sec-CH-UA-Mobile", "Sec-CH-UA-Model", "Sec-CH-UA-Arch", "Sec-CH-UA-Bitness", "Sec-CH-UA-Full-Version",
        "Sec-CH-UA-WoW64", "Sec-CH-UA-Form-Factors",
    };

    public static SignOnCommand? ToCommand(
        this SignOnRequest request, string tenant, string userId, InputErrors errors, IDeviceResolver devices, ILocationResolver locations)
    {
        var ip = InputRules.Ip(errors, "ip", request.Ip, required: true);
        InputRules.UserAgent(errors, "userAgent", request.UserAgent, required: true);
        ValidateClientHints(errors, request.ClientHints);
        InputRules.Text(errors, "deviceId", request.DeviceId, InputRules.MaxClientIdLength);
        InputRules.AuthMethod(errors, "authMethod", request.AuthMethod);
        InputRules.ClientId(errors, "clientId", request.ClientId);
        InputRules.Host(errors, "host", request.Host);
        InputRules.Id(errors, "organizationId", request.OrganizationId, required: false);
        InputRules.Id(errors, "populationId", request.PopulationId, required: false);
        var impersonator = ToImpersonator(errors, request.Impersonator);
        InputRules.Text(errors, "userName", request.UserName);
        InputRules.Text(errors, "displayName", request.DisplayName);
        var expiresIn = InputRules.Seconds(errors, "expiresIn", request.ExpiresIn, MinLifetimeSeconds, MaxLifetimeSeconds);
        var idleTimeout = InputRules.Seconds(errors, "idleTimeout", request.IdleTimeout, MinLifetimeSeconds, MaxLifetimeSeconds);
        ValidateLocation(errors, request.Location);
        if (!errors.IsEmpty || ip is null)
        {
            return null;
        }

        var userAgent = InputRules.TruncateUserAgent(request.UserAgent);
        return new SignOnCommand
        {
            Ip = ip.ToString(),
            Device = devices.Resolve(tenant, userId, userAgent, request.ClientHints, request.DeviceId),
            AuthMethod = request.AuthMethod!,
            ClientId = request.ClientId,
            Host = request.Host,
            OrganizationId = request.OrganizationId,
            PopulationId = request.PopulationId,
            Impersonator = impersonator,
            UserName = request.UserName,
            DisplayName = request.DisplayName,
            ExpiresIn = expiresIn,
            IdleTimeout = idleTimeout,
            Place = ToPlace(request.Location, ip, locations),
        };
    }

    public static ReauthenticateCommand? ToCommand(this ReauthenticateRequest request, InputErrors errors, ILocationResolver locations)
    {
        var ip = InputRules.Ip(errors, "ip", request.Ip, required: true);
        InputRules.AuthMethod(errors, "authMethod", request.AuthMethod);
        InputRules.ClientId(errors, "clientId", request.ClientId);
        var expiresIn = InputRules.Seconds(errors, "expiresIn", request.ExpiresIn, MinLifetimeSeconds, MaxLifetimeSeconds);
        var idleTimeout = InputRules.Seconds(errors, "idleTimeout", request.IdleTimeout, MinLifetimeSeconds, MaxLifetimeSeconds);
        ValidateLocation(errors, request.Location);
        if (!errors.IsEmpty || ip is null)
        {
            return null;
        }

        return new ReauthenticateCommand
        {
            Ip = ip.ToString(),
            AuthMethod = request.AuthMethod!,
            ClientId = request.ClientId,
            ExpiresIn = expiresIn,
            IdleTimeout = idleTimeout,
            Place = ToPlace(request.Location, ip, locations),
        };
    }

    public static ActivityCommand? ToCommand(this ActivityRequest request, InputErrors errors, ILocationResolver locations)
    {
        var ip = InputRules.Ip(errors, "ip", request.Ip, required: false);
        InputRules.UserAgent(errors, "userAgent", request.UserAgent, required: false);
        InputRules.ClientId(errors, "clientId", request.ClientId);
        if (!errors.IsEmpty)
        {
            return null;
        }

        return new ActivityCommand
        {
            Ip = ip?.ToString(),
            ClientId = request.ClientId,
            Place = ip is null ? null : locations.Lookup(ip),
        };
    }

    private static Impersonator? ToImpersonator(InputErrors errors, ImpersonatorInput? input)
    {
        if (input is null)
        {
            return null;
        }

        var email = input.Email;
        var at = email?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        if (email is not { Length: > 2 and <= 320 } || at <= 0 || at == email.Length - 1
            || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add("impersonator.email", "'impersonator.email' must be an email address of at most 320 characters.");
            return null;
        }

        InputRules.Text(errors, "impersonator.reason", input.Reason, maxLength: 512);
        return new Impersonator(email, input.Reason);
    }

    private static void ValidateClientHints(InputErrors errors, Dictionary<string, string>? hints)
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

    private static void ValidateLocation(InputErrors errors, LocationInput? location)
    {
        if (location is null)
        {
            return;
        }

        InputRules.Text(errors, "location.city", location.City, 128);
        InputRules.Text(errors, "location.region", location.Region, 128);
        InputRules.Text(errors, "location.country", location.Country, 128);
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

    /// <summary>An explicit location in the request wins over the lookup (docs/devices-and-places.md); the grain stamps its time.</summary>
    private static Place? ToPlace(LocationInput? input, IPAddress ip, ILocationResolver locations) =>
        input is null
            ? locations.Lookup(ip)
            : new Place(input.City, input.Region, input.Country, input.CountryCode?.ToUpperInvariant(), input.Latitude, input.Longitude);
}
