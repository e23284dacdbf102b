using System.Text.Json;
using System.Text.RegularExpressions;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// The five published API documents (seeds 000–004, docs/compatibility.md) in <c>tests/TestData/Compat/</c>, and the example
/// responses and schemas taken out of them as they are written: the golden shapes of the contract tests.
/// </summary>
internal static partial class SeedDocuments
{
    public static string Directory { get; } = SharedData.PathOf("seeds");

    public static string Text(string file) => File.ReadAllText(Path.Combine(Directory, file));

    /// <summary>Symphony's OpenAPI document (the one JSON line of seed 000).</summary>
    public static JsonElement SymphonyOpenApi() => Parse(Text("000_e941a30cb0bc8f55.txt").Split('\n').Single(l => l.StartsWith("{\"openapi\"", StringComparison.Ordinal)));

    /// <summary>PingOne's example response (the JSON block after "Example Response").</summary>
    public static JsonElement PingOneExample()
    {
        var text = Text("001_e169256448a8dac0.txt");
        var at = text.IndexOf("### Example Response", StringComparison.Ordinal);
        var start = text.IndexOf("```json", at, StringComparison.Ordinal) + "```json".Length;
        return Parse(text[start..text.IndexOf("```", start, StringComparison.Ordinal)]);
    }

    /// <summary>WorkOS' example response, written in the page as table rows (<c>| … | |</c>).</summary>
    public static JsonElement WorkOsExample()
    {
        var lines = Text("002_cad889765cd1da12.txt").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim() == "| { | |");
        var json = new List<string>();
        for (var i = first; i < lines.Length && lines[i].StartsWith('|'); i++)
        {
            json.Add(TableCell().Match(lines[i]).Groups[1].Value);
        }

        return Parse(string.Join('\n', json));
    }

    /// <summary>Rocket.Chat's OpenAPI document of <c>list.all</c>.</summary>
    public static JsonElement RocketChatOpenApi()
    {
        var text = Text("003_861e3ff35f06c04d.txt");
        var start = text.IndexOf("````json", StringComparison.Ordinal);
        start = text.IndexOf('\n', start) + 1;
        return Parse(text[start..text.IndexOf("````", start, StringComparison.Ordinal)]);
    }

    /// <summary>MonoCloud's example response (the JSON array after "200 OK").</summary>
    public static JsonElement MonoCloudExample()
    {
        var text = Text("004_60f1c613da4952e2.txt");
        var at = text.IndexOf("200 OK", text.IndexOf("Response Example", StringComparison.Ordinal), StringComparison.Ordinal);
        var start = text.IndexOf('[', at);
        return Parse(text[start..(text.LastIndexOf(']') + 1)]);
    }

    /// <summary>Follows a local <c>$ref</c> (<c>#/components/…</c>) within <paramref name="document"/>.</summary>
    public static JsonElement Resolve(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            schema = reference.GetString()!.TrimStart('#', '/').Split('/').Aggregate(document, (node, part) => node.GetProperty(part));
        }

        return schema;
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [GeneratedRegex(@"^\| ?(.*?) ?\|[ |]*$")]
    private static partial Regex TableCell();
}
