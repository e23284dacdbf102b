using Orleans.Sessions.Devices.UserAgents;

namespace Orleans.Sessions.Devices.Tests.UserAgents;

/// <summary>
/// Real-world user agents (corpus.tsv: browser, major version, OS, OS version, device type) parsed as the ua-parser
/// family names them. The corpus grows with every case the parser learns; every case must pass.
/// </summary>
public sealed class UserAgentCorpusTests
{
    private sealed record Case(int Line, string Browser, string? Major, string Os, string? OsVersion, string Type, string UserAgent);

    private static readonly IReadOnlyList<Case> Corpus = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "UserAgents", "corpus.tsv"))
        .Select((line, index) => (Line: line, Number: index + 1))
        .Where(l => l.Line.Length > 0 && !l.Line.StartsWith('#'))
        .Select(l =>
        {
            var f = l.Line.Split('\t');
            return new Case(l.Number, f[0], Dash(f[1]), f[2], Dash(f[3]), f[4], f[5]);
        })
        .ToList();

    [Fact]
    public void Every_user_agent_of_the_corpus_parses_as_expected()
    {
        var failures = new List<string>();
        foreach (var c in Corpus)
        {
            var parsed = UserAgentParser.ParseUncached(c.UserAgent);
            var actual = (parsed.Browser.Name, parsed.Browser.Major, parsed.Os.Name, parsed.Os.Version, parsed.Type);
            if (actual != (c.Browser, c.Major, c.Os, c.OsVersion, c.Type))
            {
                failures.Add($"line {c.Line}: expected {(c.Browser, c.Major, c.Os, c.OsVersion, c.Type)}, got {actual} for {c.UserAgent}");
            }
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"user-agent corpus: {Corpus.Count - failures.Count}/{Corpus.Count} correct ({100.0 * (Corpus.Count - failures.Count) / Corpus.Count:F1}%)");
        Assert.True(Corpus.Count >= 300, $"the corpus has only {Corpus.Count} user agents");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Mozilla/5.0 (")]
    [InlineData("\u0000\u0001garbage/1.0")]
    public void Unknown_strings_are_Other_and_never_throw(string userAgent)
    {
        var parsed = new UserAgentParser().Parse(userAgent);

        Assert.Equal("Other", parsed.Browser.Name);
    }

    [Fact]
    public void A_long_adversarial_user_agent_parses_quickly()
    {
        var userAgent = "Mozilla/5.0 (iPhone" + string.Concat(Enumerable.Repeat(" Version/1 Mobile", 60)) + new string('a', 200);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        UserAgentParser.ParseUncached(userAgent);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"parsing took {clock.Elapsed}");
    }

    [Fact]
    public void Parsed_user_agents_come_from_the_cache_the_second_time()
    {
        var parser = new UserAgentParser();
        var userAgent = Corpus[0].UserAgent;

        Assert.Same(parser.Parse(userAgent), parser.Parse(userAgent));
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var parser = new UserAgentParser(cacheSize: 1);
        var first = parser.Parse(Corpus[0].UserAgent);

        parser.Parse(Corpus[1].UserAgent); // the cache is full: it makes room

        Assert.NotSame(first, parser.Parse(Corpus[0].UserAgent));
    }

    private static string? Dash(string value) => value == "-" ? null : value;
}
