using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Api.Http;
using Orleans.Sessions.Api.SessionDirectory;
using Orleans.Sessions.SessionDirectory;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// The session search form (docs/console.md, "Search"): list-all's filters, sort and page size under their API names,
/// and one metadata key with its value. Empty fields are absent; what is left is checked by list-all's own parameter
/// rules, so the console takes exactly what the API takes.
/// </summary>
public sealed class SearchForm
{
    public const string MetadataKey = "metadataKey";
    public const string MetadataValue = "metadataValue";
    public const string Cursor = "cursor";

    /// <summary>The filters' fields, by their names in the query: what search, counts and revoke by query share.</summary>
    public static readonly string[] FilterFields =
    [
        "q", "userId", "clientId", "authMethod", "country", "deviceType", "ip", "activeSince", "activeBefore",
        "impersonated", "risk", "minRiskScore", MetadataKey, MetadataValue,
    ];

    /// <summary>The form's fields: the filters, the order and the page size.</summary>
    public static readonly string[] Fields = [.. FilterFields, "sort", "limit"];

    private readonly Dictionary<string, StringValues> _values;

    private SearchForm(Dictionary<string, StringValues> values) => _values = values;

    /// <summary>The filled-in fields of the request's query (a cursor too, when there is one).</summary>
    public static SearchForm Read(IQueryCollection query) => Read(name => query[name]);

    /// <summary>The filled-in fields of a posted form (the hidden fields a confirmation carries the filters in).</summary>
    public static SearchForm Read(IFormCollection form) => Read(name => form[name]);

    private static SearchForm Read(Func<string, StringValues> field)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var name in Fields.Append(Cursor))
        {
            var given = field(name).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
            if (given.Length > 0)
            {
                values[name] = given;
            }
        }

        return new SearchForm(values);
    }

    /// <summary>Whether any filter is filled in (sort, page size and cursor are no filters).</summary>
    public bool Filters => FilterFields.Any(_values.ContainsKey);

    /// <summary>The filled-in filters, name and value, for a form to carry on in hidden fields.</summary>
    public IEnumerable<(string Name, string Value)> FilledFilters =>
        FilterFields.Where(_values.ContainsKey).SelectMany(name => _values[name].Select(value => (name, value ?? "")));

    /// <summary>The filter list-all's rules make of the fields, within <paramref name="caller"/>'s scope; null with <paramref name="errors"/> when they refuse one.</summary>
    public DirectoryFilter? Filter(Caller caller, InputErrors errors)
    {
        var filter = DirectoryFilterParameters.From(ApiParameters());
        filter.Validate(errors);
        return errors.IsEmpty ? filter.Filter with { Scope = caller.Scope } : null;
    }

    /// <summary>The page list-all's rules make of the order, page size and cursor; null with <paramref name="errors"/> when they refuse one.</summary>
    public DirectoryQuery? Page(InputErrors errors)
    {
        var page = DirectoryPageParameters.From(ApiParameters());
        page.Validate(errors);
        return errors.IsEmpty ? page.Query : null;
    }

    /// <summary>What the field holds, for the form to show again.</summary>
    public string Value(string name) => _values.TryGetValue(name, out var value) ? value.ToString() : "";

    /// <summary>The fields as list-all's query parameters: the metadata pair as <c>metadata.{key}</c>.</summary>
    public IReadOnlyDictionary<string, StringValues> ApiParameters()
    {
        var parameters = _values.Where(v => v.Key is not (MetadataKey or MetadataValue)).ToDictionary(StringComparer.Ordinal);
        var key = Value(MetadataKey);
        if (key.Length > 0 || _values.ContainsKey(MetadataValue))
        {
            parameters["metadata." + key] = Value(MetadataValue);
        }

        return parameters;
    }

    /// <summary>
    /// The address of <paramref name="path"/> with these fields, on the page after <paramref name="cursor"/> (or the
    /// first); with <paramref name="filtersOnly"/>, the filters alone (for counts or revoke by query of the same sessions).
    /// </summary>
    public string Href(string path, string? cursor = null, bool filtersOnly = false)
    {
        var pairs = _values.Where(v => filtersOnly ? FilterFields.Contains(v.Key) : v.Key != Cursor).SelectMany(v => v.Value.Select(one => KeyValuePair.Create(v.Key, one)));
        if (cursor is not null)
        {
            pairs = pairs.Append(KeyValuePair.Create(Cursor, (string?)cursor));
        }

        return path + QueryString.Create(pairs);
    }

    /// <summary>Whether this is a later page (it has a cursor).</summary>
    public bool IsLaterPage => _values.ContainsKey(Cursor);
}
