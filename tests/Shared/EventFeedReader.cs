using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>Reads a tenant's event feed the way a consumer does: page after page from a position, until a page is empty.</summary>
public static class EventFeedReader
{
    /// <summary>
    /// Every event after <paramref name="after"/> (the start when empty), in feed order, and the position after them;
    /// <paramref name="query"/> adds query parameters (<c>userId=…</c>, without a leading <c>&amp;</c>).
    /// </summary>
    public static async Task<(List<JsonElement> Events, string Next)> ReadAllAsync(
        HttpClient client, string tenant, string after = "", int limit = 1000, string? query = null)
    {
        var events = new List<JsonElement>();
        for (var pages = 0; pages < 10_000; pages++)
        {
            var path = $"/v1/tenants/{tenant}/events?limit={limit}" + (query is null ? "" : "&" + query) + (after.Length > 0 ? "&after=" + after : "");
            var page = await client.GetFromJsonAsync<JsonElement>(path, TestContext.Current.CancellationToken);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            events.AddRange(items);
            after = page.GetProperty("next").GetString()!;
            if (items.Count == 0)
            {
                return (events, after);
            }
        }

        throw new InvalidOperationException("The feed did not end within 10,000 pages.");
    }

    /// <summary>An event's (type, session id).</summary>
    public static (string Type, string SessionId) Key(JsonElement e) => (e.GetProperty("type").GetString()!, e.GetProperty("sessionId").GetString()!);
}
