using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

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

    /// <summary>The form's fields, by their names in the query.</summary>
    public static readonly string[] Fields =
    [
        "q", "userId", "clientId", "authMethod", "country", "deviceType", "ip", "activeSince", "activeBefore",
        "impersonated", "risk", "minRiskScore", MetadataKey, MetadataValue, "sort", "limit",
    ];

    private readonly Dictionary<string, StringValues> _values;

    private SearchForm(Dictionary<string, StringValues> values) => _values = values;

    /// <summary>The filled-in fields of the request's query (a cursor too, when there is one).</summary>
    public static SearchForm Read(IQueryCollection query)
    {
        var values = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var name in Fields.Append(Cursor))
        {
            var given = query[name].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToArray();
            if (given.Length > 0)
            {
                values[name] = given;
            }
        }

        return new SearchForm(values);
    }

    /// <summary>Whether any filter is filled in (sort, page size and cursor are no filters).</summary>
    public bool Filters => _values.Keys.Any(k => k is not ("sort" or "limit" or Cursor));

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

    /// <summary>The address of <paramref name="path"/> with these fields, on the page after <paramref name="cursor"/> (or the first).</summary>
    public string Href(string path, string? cursor = null)
    {
        var pairs = _values.Where(v => v.Key != Cursor).SelectMany(v => v.Value.Select(one => KeyValuePair.Create(v.Key, one)));
        if (cursor is not null)
        {
            pairs = pairs.Append(KeyValuePair.Create(Cursor, (string?)cursor));
        }

        return path + QueryString.Create(pairs);
    }

    /// <summary>Whether this is a later page (it has a cursor).</summary>
    public bool IsLaterPage => _values.ContainsKey(Cursor);
}
