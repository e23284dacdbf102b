using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>Reads a tenant's audit history (docs/audit.md) page after page, newest first, until a page has no next cursor.</summary>
public static class AuditReader
{
    /// <summary>Every entry <paramref name="query"/> selects (query parameters without a leading <c>&amp;</c>: <c>kind=admin</c>).</summary>
    public static async Task<List<JsonElement>> ReadAllAsync(HttpClient client, string tenant, string query = "", int limit = 1000)
    {
        var entries = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var path = $"/v1/tenants/{tenant}/audit?limit={limit}" + (query.Length == 0 ? "" : "&" + query) + (cursor is null ? "" : "&cursor=" + cursor);
            var page = await client.GetFromJsonAsync<JsonElement>(path, TestContext.Current.CancellationToken);
            entries.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return entries;
    }
}
