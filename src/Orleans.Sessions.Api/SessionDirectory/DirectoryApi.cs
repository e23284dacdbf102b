using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.SessionDirectory;

/// <summary>The list-all of PRODUCT.md §5 and its counts: each request is one call to the tenant's <see cref="IDirectoryGrain"/>.</summary>
public static class DirectoryApi
{
    private static readonly HashSet<string> DeviceTypes = new(StringComparer.Ordinal)
    {
        "desktop", "mobile", "tablet", "tv", "console", "wearable", "bot", "other",
    };

    private static readonly Dictionary<string, DirectorySort> SortFields = new(StringComparer.Ordinal)
    {
        ["loginAt"] = DirectorySort.LoginAt,
        ["activeAt"] = DirectorySort.ActiveAt,
        ["expiresAt"] = DirectorySort.ExpiresAt,
        ["userName"] = DirectorySort.UserName,
        ["browser"] = DirectorySort.Browser,
        ["os"] = DirectorySort.Os,
    };

    public static RouteGroupBuilder MapDirectoryApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tenants/{tenant}/sessions")
            .WithTags("Directory")
            .WithMetadata(CanonicalSurface.Instance)
            .RequireAuthorization(SessionsPolicies.ReadAll);
        group.MapGet("/", ListAsync).WithName("ListAllSessions").WithSummary("Active sessions of every user of the tenant: filters, sorts, keyset paging.");
        group.MapGet("/count", CountAsync).WithName("CountSessions").WithSummary("Counts of active sessions: total, by status, by country, by device type.");
        return group;
    }

    public static async Task<Results<Ok<DirectoryListResponse>, ValidationProblem>> ListAsync(
        string tenant, HttpRequest request, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = new InputErrors();
        InputRules.Id(errors, "tenant", tenant);
        var query = request.Query;
        var filter = ParseFilter(errors, query, caller);
        var (sort, descending) = InputRules.Sort(errors, query["sort"], SortFields, DirectorySort.LoginAt);
        var limit = InputRules.Integer(errors, "limit", query["limit"], 1, DirectoryQuery.MaxLimit, DirectoryQuery.DefaultLimit);
        var offset = InputRules.Integer(errors, "offset", query["offset"], 0, DirectoryQuery.MaxOffset, 0);
        DirectoryPosition? after = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (offset > 0)
            {
                errors.Add("cursor", "Use either 'cursor' or 'offset', not both.");
            }
            else if (errors.IsEmpty && !DirectoryCursor.TryDecode(cursor, sort, descending, out after))
            {
                errors.Add("cursor", "'cursor' is not a cursor of this list and sort; start again without one.");
            }
        }

        if (!errors.IsEmpty || filter is null)
        {
            return ApiProblems.Validation(errors);
        }

        var page = await grains.GetGrain<IDirectoryGrain>(tenant).ListAsync(new DirectoryQuery
        {
            Filter = filter,
            Sort = sort,
            Descending = descending,
            After = after,
            Offset = offset,
            Take = limit,
        });
        var next = page.Next is { } position ? DirectoryCursor.Encode(sort, descending, position) : null;
        audit.ListedAll(caller, tenant, "list-all", page.Total);
        return TypedResults.Ok(new DirectoryListResponse([.. page.Items.Select(i => ToResponse(tenant, i))], page.Total, next));
    }

    public static async Task<Results<Ok<DirectoryCountResponse>, ValidationProblem>> CountAsync(
        string tenant, HttpRequest request, Caller caller, IGrainFactory grains, SessionsAudit audit)
    {
        var errors = new InputErrors();
        InputRules.Id(errors, "tenant", tenant);
        var filter = ParseFilter(errors, request.Query, caller);
        if (!errors.IsEmpty || filter is null)
        {
            return ApiProblems.Validation(errors);
        }

        var counts = await grains.GetGrain<IDirectoryGrain>(tenant).CountAsync(filter);
        audit.ListedAll(caller, tenant, "count", counts.Total);
        return TypedResults.Ok(new DirectoryCountResponse(
            counts.Total,
            new Dictionary<string, int> { ["active"] = counts.Total },
            counts.ByCountry,
            counts.ByDeviceType));
    }

    /// <summary>The query's filters, within what <paramref name="caller"/> may see.</summary>
    private static DirectoryFilter? ParseFilter(InputErrors errors, IQueryCollection query, Caller caller)
    {
        string? Single(string name)
        {
            var values = query[name];
            if (values.Count > 1)
            {
                errors.Add(name, $"'{name}' may be given once.");
            }

            return values.Count == 0 ? null : values[0];
        }

        var pattern = Single("q");
        if (pattern is not null && !DirectoryPatterns.TryValidate(pattern, out var patternError))
        {
            errors.Add("q", patternError);
        }

        var userId = Single("userId");
        InputRules.Id(errors, "userId", userId, required: false);
        var clientId = Single("clientId");
        InputRules.ClientId(errors, "clientId", clientId);
        if (Single("status") is { } status && status != "active")
        {
            errors.Add("status", "list-all holds active sessions only: 'status' can only be 'active' (a user's own list has every status).");
        }

        var authMethod = Single("authMethod");
        InputRules.Text(errors, "authMethod", authMethod, InputRules.MaxAuthMethodLength);
        var country = Single("country");
        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetter)))
        {
            errors.Add("country", "'country' must be an ISO 3166-1 alpha-2 code.");
        }

        var deviceType = Single("deviceType");
        if (deviceType is not null && !DeviceTypes.Contains(deviceType))
        {
            errors.Add("deviceType", $"'deviceType' must be one of {string.Join(", ", DeviceTypes)}.");
        }

        var ip = ParseNetwork(errors, Single("ip"));
        var activeSince = ParseTime(errors, "activeSince", Single("activeSince"));
        var activeBefore = ParseTime(errors, "activeBefore", Single("activeBefore"));
        bool? impersonated = Single("impersonated") switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => Invalid(errors, "impersonated", "'impersonated' must be true or false."),
        };

        return errors.IsEmpty
            ? new DirectoryFilter
            {
                Pattern = pattern,
                UserId = userId,
                ClientId = clientId,
                AuthMethod = authMethod,
                CountryCode = country?.ToUpperInvariant(),
                DeviceType = deviceType,
                Ip = ip,
                ActiveSince = activeSince,
                ActiveBefore = activeBefore,
                Impersonated = impersonated,
                Scope = caller.Scope,
            }
            : null;
    }

    private static bool? Invalid(InputErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    private static IpNetworkFilter? ParseNetwork(InputErrors errors, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        if (!InputRules.TryNormalizeIp(addressText, out var address))
        {
            errors.Add("ip", "'ip' must be an IP address or a CIDR range such as 203.0.113.0/24.");
            return null;
        }

        var maxPrefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = maxPrefix;
        if (slash >= 0)
        {
            // An IPv4-mapped range (::ffff:192.0.2.0/120) is the IPv4 range of its last 32 bits: IPv6 text that
            // normalized to IPv4.
            var mappedOffset = maxPrefix == 32 && addressText.Contains(':', StringComparison.Ordinal) ? 96 : 0;
            if (!int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix < mappedOffset || prefix - mappedOffset > maxPrefix)
            {
                errors.Add("ip", $"'ip' has a prefix length outside {mappedOffset}-{mappedOffset + maxPrefix}.");
                return null;
            }

            prefix -= mappedOffset;
        }

        // The network address: host bits cleared, so 203.0.113.7/24 means 203.0.113.0/24.
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IpNetworkFilter(new IPAddress(bytes).ToString(), prefix);
    }

    private static long? ParseTime(InputErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && value.Contains('T', StringComparison.Ordinal))
        {
            return time.UtcTicks;
        }

        errors.Add(field, $"'{field}' must be an RFC 3339 time such as 2026-11-22T12:00:00Z.");
        return null;
    }

    private static DirectorySessionResponse ToResponse(string tenant, DirectoryItem item)
    {
        var s = item.Session;
        return new DirectorySessionResponse(
            s.SessionId,
            tenant,
            s.UserId,
            item.UserName,
            item.DisplayName,
            "active",
            new DateTimeOffset(s.CreatedAt, TimeSpan.Zero),
            new DateTimeOffset(s.ActiveAt, TimeSpan.Zero),
            new DateTimeOffset(s.ExpiresAt, TimeSpan.Zero),
            new DateTimeOffset(s.IdleExpiresAt, TimeSpan.Zero),
            s.AuthMethod,
            s.ClientIds,
            s.Ip,
            s.CountryCode,
            s.City,
            new DirectoryBrowserResponse(s.Browser, s.BrowserVersion),
            new DirectoryOsResponse(s.Os, s.OsVersion),
            new DirectoryDeviceResponse(s.DeviceType, s.DeviceModel),
            s.Impersonated,
            s.PopulationId,
            s.OrganizationId,
            s.Host);
    }
}
