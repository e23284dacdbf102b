using System.Text.Json;
using System.Text.RegularExpressions;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// What the repository's <c>Dockerfile</c> gives each image it builds (<c>--target silo</c>, <c>--target gateway</c>): the
/// environment (<c>ENV</c> of the target's stage and the stages it is built FROM), the entry point and exposed ports.
/// Only the instruction forms the Dockerfile uses are read; any other form of ENV fails the test rather than being guessed.
/// </summary>
public sealed partial class Dockerfile
{
    private readonly Dictionary<string, Stage> _stages = [];

    private Dockerfile(string path)
    {
        Stage? current = null;
        foreach (var line in Instructions(File.ReadAllText(path)))
        {
            var (instruction, rest) = (line.Split(' ', 2)[0].ToUpperInvariant(), line.Split(' ', 2).ElementAtOrDefault(1)?.Trim() ?? "");
            switch (instruction)
            {
                case "FROM":
                    var from = FromPattern().Match(rest);
                    Assert.True(from.Success, $"FROM {rest}: not of the form `FROM <image> AS <stage>`");
                    current = new Stage(_stages.GetValueOrDefault(from.Groups["base"].Value));
                    _stages[from.Groups["name"].Value] = current;
                    break;
                case "ENV":
                    foreach (var pair in rest.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        Assert.True(pair.Contains('=', StringComparison.Ordinal) && !pair.Contains('"', StringComparison.Ordinal), $"ENV {rest}: only unquoted key=value pairs are read");
                        current!.Environment[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    }

                    break;
                case "ENTRYPOINT":
                    current!.Entrypoint = JsonSerializer.Deserialize<string[]>(rest) ?? throw new FormatException($"ENTRYPOINT {rest}");
                    break;
                case "EXPOSE":
                    current!.Exposed.AddRange(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                    break;
            }
        }
    }

    public static Dockerfile Repository { get; } = new(TestData.RepositoryFile("Dockerfile"));

    /// <summary>The environment the image of <paramref name="target"/> starts its entry point with.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string target) => Chain(target).Reverse().SelectMany(s => s.Environment)
        .Aggregate(new Dictionary<string, string>(), (all, pair) => { all[pair.Key] = pair.Value; return all; });

    public IReadOnlyList<string> EntrypointOf(string target) => Chain(target).Select(s => s.Entrypoint).First(e => e is not null)!;

    public IReadOnlyList<int> ExposedBy(string target) => [.. Chain(target).SelectMany(s => s.Exposed)];

    /// <summary>The port of the image's <c>ASPNETCORE_URLS</c> (one address): where its program serves HTTP.</summary>
    public int HttpPortOf(string target)
    {
        var urls = EnvironmentOf(target)["ASPNETCORE_URLS"];
        Assert.DoesNotContain(";", urls, StringComparison.Ordinal);
        return new Uri(urls.Replace("+", "localhost", StringComparison.Ordinal)).Port;
    }

    private IEnumerable<Stage> Chain(string target)
    {
        for (var stage = _stages[target]; stage is not null; stage = stage.Parent)
        {
            yield return stage;
        }
    }

    private static IEnumerable<string> Instructions(string text)
    {
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            yield return pending + line;
            pending = "";
        }
    }

    [GeneratedRegex(@"^(?<base>\S+)\s+AS\s+(?<name>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();

    private sealed class Stage(Stage? parent)
    {
        public Stage? Parent { get; } = parent;

        public Dictionary<string, string> Environment { get; } = [];

        public string[]? Entrypoint { get; set; }

        public List<int> Exposed { get; } = [];
    }
}
