using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Orleans.Sessions.Api.Console;

/// <summary>
/// The console's stylesheet and icons, embedded in this assembly and served under names that carry a digest of their
/// content (<c>console.3f9a0c1b2d.css</c>), so a page always asks for the file it was written with and the file can be
/// cached for a year (docs/console.md, "Assets"). Nothing is built with Node: they are plain files.
/// </summary>
public sealed class ConsoleAssets
{
    public const string BasePath = "/console/assets/";

    private readonly FrozenDictionary<string, Asset> _byServedName;
    private readonly FrozenDictionary<string, string> _servedNames;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        var served = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("console/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var name = resource["console/".Length..];
            var digest = Convert.ToHexStringLower(SHA256.HashData(content))[..10];
            var servedName = $"{Path.GetFileNameWithoutExtension(name)}.{digest}{Path.GetExtension(name)}";
            assets[servedName] = new Asset(content, ContentTypeOf(name));
            served[name] = BasePath + servedName;
        }

        _byServedName = assets.ToFrozenDictionary(StringComparer.Ordinal);
        _servedNames = served.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The path a page links <paramref name="name"/> (<c>console.css</c>) under.</summary>
    public string PathOf(string name) => _servedNames[name];

    /// <summary>The asset served as <paramref name="servedName"/>, if there is one.</summary>
    public Asset? Find(string servedName) => _byServedName.GetValueOrDefault(servedName);

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    public sealed record Asset(byte[] Content, string ContentType);
}
