using System.Collections.Immutable;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.SessionDirectory;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.SessionDirectory;

// The route value and query parameters of list-all and counts, bound with [AsParameters]: each checks itself
// (IValidatable) and keeps what it parsed.

/// <summary><c>/v1/tenants/{tenant}/sessions</c>.</summary>
public sealed class TenantRoute : IValidatable
{
    [FromRoute(Name = "tenant"), RegularExpression(WirePatterns.Id)]
    public string Tenant { get; set; } = "";

    public void Validate(InputErrors errors) => InputRules.Id(errors, "tenant", Tenant);
}

/// <summary>The filters of list-all and counts (docs/api.md, "List-all"); each may be given once.</summary>
public sealed class DirectoryFilterParameters : IValidatable
{
    /// <summary>The device types the <c>deviceType</c> filter takes.</summary>
    public static readonly IReadOnlyList<string> DeviceTypeNames = ["desktop", "mobile", "tablet", "tv", "console", "wearable", "bot", "other"];

    private static readonly HashSet<string> DeviceTypes = new(DeviceTypeNames, StringComparer.Ordinal);

    private DirectoryFilter? _filter;
    private IReadOnlyDictionary<string, StringValues>? _source;

    [GivenOnce, FromQuery(Name = "q"), StringLength(DirectoryFilter.MaxPatternLength, MinimumLength = 1), DataType(WirePatterns.RegexFormat)]
    [System.ComponentModel.Description("A .NET regular expression: patterns ECMAScript takes and .NET does not (an empty class, [], say) are refused.")]
    public string[]? Q { get; set; }

    [GivenOnce, FromQuery(Name = "userId"), RegularExpression(WirePatterns.Id)]
    public string[]? UserId { get; set; }

    [GivenOnce, FromQuery(Name = "clientId"), RegularExpression(WirePatterns.ClientId)]
    public string[]? ClientId { get; set; }

    [GivenOnce, FromQuery(Name = "status"), AllowedValues("active")]
    public string[]? Status { get; set; }

    [GivenOnce, FromQuery(Name = "authMethod"), StringLength(InputRules.MaxAuthMethodLength), RegularExpression(WirePatterns.Text)]
    public string[]? AuthMethod { get; set; }

    [GivenOnce, FromQuery(Name = "country"), RegularExpression(WirePatterns.CountryCode)]
    public string[]? Country { get; set; }

    [GivenOnce, FromQuery(Name = "deviceType"), DeviceTypeValues]
    public string[]? DeviceType { get; set; }

    [GivenOnce, FromQuery(Name = "ip"), RegularExpression(WirePatterns.IpNetwork)]
    public string[]? Ip { get; set; }

    [GivenOnce, FromQuery(Name = "activeSince"), DataType(DataType.DateTime)]
    public string[]? ActiveSince { get; set; }

    [GivenOnce, FromQuery(Name = "activeBefore"), DataType(DataType.DateTime)]
    public string[]? ActiveBefore { get; set; }

    [GivenOnce, FromQuery(Name = "impersonated"), AllowedValues("true", "false")]
    public string[]? Impersonated { get; set; }

    [GivenOnce, FromQuery(Name = "risk"), RiskSignalValues]
    public string[]? Risk { get; set; }

    [GivenOnce, FromQuery(Name = "minRiskScore"), Range(0, 100)]
    public string[]? MinRiskScore { get; set; }

    /// <summary>The request, for its <c>metadata.{key}</c> parameters: their names are the caller's, so no attribute binds them.</summary>
    public HttpRequest Request { get; set; } = null!;

    /// <summary>The filter the parameters ask for, for any caller (the handler adds the caller's scope).</summary>
    public DirectoryFilter Filter => _filter ?? throw new InvalidOperationException("The filters have not been validated.");

    /// <summary>The filters read from <paramref name="parameters"/> by their query names (the console's search form), to validate the same way.</summary>
    public static DirectoryFilterParameters From(IReadOnlyDictionary<string, StringValues> parameters) => new()
    {
        Q = Values(parameters, "q"),
        UserId = Values(parameters, "userId"),
        ClientId = Values(parameters, "clientId"),
        Status = Values(parameters, "status"),
        AuthMethod = Values(parameters, "authMethod"),
        Country = Values(parameters, "country"),
        DeviceType = Values(parameters, "deviceType"),
        Ip = Values(parameters, "ip"),
        ActiveSince = Values(parameters, "activeSince"),
        ActiveBefore = Values(parameters, "activeBefore"),
        Impersonated = Values(parameters, "impersonated"),
        Risk = Values(parameters, "risk"),
        MinRiskScore = Values(parameters, "minRiskScore"),
        _source = parameters,
    };

    internal static string[]? Values(IReadOnlyDictionary<string, StringValues> parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Count > 0 ? [.. values.OfType<string>()] : null;

    public void Validate(InputErrors errors)
    {
        var pattern = Single(errors, "q", Q);
        if (pattern is not null && !DirectoryPatterns.TryValidate(pattern, out var patternError))
        {
            errors.Add("q", patternError);
        }

        var userId = Single(errors, "userId", UserId);
        InputRules.Id(errors, "userId", userId, required: false);
        var clientId = Single(errors, "clientId", ClientId);
        InputRules.ClientId(errors, "clientId", clientId);
        if (Single(errors, "status", Status) is { } status && status != "active")
        {
            errors.Add("status", "list-all holds active sessions only: 'status' can only be 'active' (a user's own list has every status).");
        }

        var authMethod = Single(errors, "authMethod", AuthMethod);
        InputRules.Text(errors, "authMethod", authMethod, InputRules.MaxAuthMethodLength);
        var country = Single(errors, "country", Country);
        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetter)))
        {
            errors.Add("country", "'country' must be an ISO 3166-1 alpha-2 code.");
        }

        var deviceType = Single(errors, "deviceType", DeviceType);
        if (deviceType is not null && !DeviceTypes.Contains(deviceType))
        {
            errors.Add("deviceType", $"'deviceType' must be one of {string.Join(", ", DeviceTypes)}.");
        }

        var ip = InputRules.Network(errors, "ip", Single(errors, "ip", Ip));
        var activeSince = InputRules.Time(errors, "activeSince", Single(errors, "activeSince", ActiveSince));
        var activeBefore = InputRules.Time(errors, "activeBefore", Single(errors, "activeBefore", ActiveBefore));
        var impersonatedText = Single(errors, "impersonated", Impersonated);
        bool? impersonated = impersonatedText switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => null,
        };
        if (impersonatedText is not null && impersonated is null)
        {
            errors.Add("impersonated", "'impersonated' must be true or false.");
        }

        var risk = Single(errors, "risk", Risk);
        if (risk is not null && !RiskSignals.IsKnown(risk))
        {
            errors.Add("risk", $"'risk' must be one of {string.Join(", ", RiskSignals.All)}.");
        }

        var minRiskScoreText = Single(errors, "minRiskScore", MinRiskScore);
        int? minRiskScore = minRiskScoreText is null ? null : InputRules.Integer(errors, "minRiskScore", minRiskScoreText, 0, 100, 0);
        _filter = new DirectoryFilter
        {
            RiskSignal = risk,
            MinRiskScore = minRiskScore,
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
            Metadata = Metadata(errors),
        };
    }

    /// <summary>The <c>metadata.{key}={value}</c> parameters: each key a metadata key, given once, with a value (docs/api.md, "List-all").</summary>
    private ImmutableSortedDictionary<string, string>? Metadata(InputErrors errors)
    {
        var wanted = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var parameters = _source ?? (IEnumerable<KeyValuePair<string, StringValues>>)Request.Query;
        foreach (var (name, values) in parameters.Where(q => q.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal)))
        {
            var key = name[MetadataPrefix.Length..];
            if (!SessionMetadata.IsKey(key))
            {
                errors.Add("metadata", $"'{(name.Length > 80 ? name[..80] + "…" : name)}': a metadata key is 1–64 letters, digits, '_' or '-'.");
                continue;
            }

            if (Single(errors, name, values.ToArray()!) is { } value)
            {
                if (value.Length == 0)
                {
                    errors.Add(name, $"'{name}' needs the value to look for.");
                }

                InputRules.Text(errors, name, value, InputRules.MaxTextLength);
                wanted[key] = value;
            }
        }

        if (wanted.Count > DirectoryFilter.MaxMetadataFilters)
        {
            errors.Add("metadata", $"At most {DirectoryFilter.MaxMetadataFilters} metadata filters.");
        }

        return wanted.Count == 0 ? null : wanted.ToImmutable();
    }

    private const string MetadataPrefix = "metadata.";

    /// <summary>The risk signals in the OpenAPI document.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class RiskSignalValuesAttribute() : AllowedValuesAttribute([.. RiskSignals.All]);

    /// <summary>The device types in the OpenAPI document.</summary>
    [AttributeUsage(AttributeTargets.Property)]
    private sealed class DeviceTypeValuesAttribute() : AllowedValuesAttribute([.. DeviceTypes]);

    private static string? Single(InputErrors errors, string name, string[]? values)
    {
        if (values is { Length: > 1 })
        {
            errors.Add(name, $"'{name}' may be given once.");
        }

        return values is { Length: > 0 } ? values[0] : null;
    }
}

/// <summary>The order and page of list-all: sort, limit, and a cursor or an offset.</summary>
public sealed class DirectoryPageParameters : IValidatable
{
    /// <summary>The fields list-all sorts by, under their <c>sort</c> names.</summary>
    public static IEnumerable<string> SortNames => SortFields.Keys;

    private static readonly Dictionary<string, DirectorySort> SortFields = new(StringComparer.Ordinal)
    {
        ["loginAt"] = DirectorySort.LoginAt,
        ["activeAt"] = DirectorySort.ActiveAt,
        ["expiresAt"] = DirectorySort.ExpiresAt,
        ["userName"] = DirectorySort.UserName,
        ["browser"] = DirectorySort.Browser,
        ["os"] = DirectorySort.Os,
    };

    /// <summary>The sort values list-all takes, in the OpenAPI document.</summary>
    private sealed class SortValuesAttribute() : AllowedValuesAttribute(InputRules.SortValues(SortFields));

    private DirectoryQuery? _query;

    [FromQuery(Name = "sort"), SortValues]
    public string? Sort { get; set; }

    [FromQuery(Name = "limit"), Range(1, DirectoryQuery.MaxLimit)]
    public string? Limit { get; set; }

    [FromQuery(Name = "offset"), Description("How many sessions to skip; not with cursor."), Range(0, DirectoryQuery.MaxOffset)]
    public string? Offset { get; set; }

    [FromQuery(Name = "cursor"), Description("The nextCursor of an earlier page of this list with the same sort; any other is refused. Not with offset."), MaxLength(ListCursor.MaxLength), RegularExpression(WirePatterns.Cursor)]
    public string? Cursor { get; set; }

    /// <summary>The query of the page, without a filter (the handler adds it).</summary>
    public DirectoryQuery Query => _query ?? throw new InvalidOperationException("The page has not been validated.");

    /// <summary>The page read from <paramref name="parameters"/> by their query names (the console's search form).</summary>
    public static DirectoryPageParameters From(IReadOnlyDictionary<string, StringValues> parameters) => new()
    {
        Sort = DirectoryFilterParameters.Values(parameters, "sort")?[0],
        Limit = DirectoryFilterParameters.Values(parameters, "limit")?[0],
        Offset = DirectoryFilterParameters.Values(parameters, "offset")?[0],
        Cursor = DirectoryFilterParameters.Values(parameters, "cursor")?[0],
    };

    public void Validate(InputErrors errors)
    {
        var (sort, descending) = InputRules.Sort(errors, Sort, SortFields, DirectorySort.LoginAt);
        var limit = InputRules.Integer(errors, "limit", Limit, 1, DirectoryQuery.MaxLimit, DirectoryQuery.DefaultLimit);
        var offset = InputRules.Integer(errors, "offset", Offset, 0, DirectoryQuery.MaxOffset, 0);
        DirectoryPosition? after = null;
        if (Cursor is { Length: > 0 } cursor)
        {
            if (offset > 0)
            {
                errors.Add("cursor", "Use either 'cursor' or 'offset', not both.");
            }
            else if (errors.IsEmpty && !ListCursor.TryDecode(cursor, sort, descending, out after))
            {
                errors.Add("cursor", "'cursor' is not a cursor of this list and sort; start again without one.");
            }
        }

        _query = new DirectoryQuery { Sort = sort, Descending = descending, After = after, Offset = offset, Take = limit };
    }
}
