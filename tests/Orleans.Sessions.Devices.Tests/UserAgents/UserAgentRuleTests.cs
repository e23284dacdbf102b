using Orleans.Sessions.Devices.UserAgents;

namespace Orleans.Sessions.Devices.Tests.UserAgents;

/// <summary>The literal prefilter of the rules' patterns: it only ever dismisses user agents the pattern could not match.</summary>
public sealed class UserAgentRuleTests
{
    [Theory]
    [InlineData(@"Edge?/(?<v>\d+)", "Edg")]
    [InlineData(@"Opera Mobi.*Version/(?<v>\d+)", "Opera Mobi")]
    [InlineData(@"Trident/7\.0.*rv:(?<v>\d+)", "Trident/7.0")]
    [InlineData(@"(?:iPhone|iPad|iPod).*Version/(?<v>\d+(?:[._]\d+)*).*Mobile.*Safari", "Version/")]
    [InlineData(@"\bKF[A-Z]{2,4} Build", " Build")]
    [InlineData(@"Windows Phone(?: OS)? (?<v>\d+)", "Windows Phone")]
    [InlineData(@"OPR/(?<v>\d+).*Mobile|Mobile.*OPR/(?<v>\d+)", "Mobile")]
    [InlineData(@"Ubuntu(?:/(?<v>\d+))?", "Ubuntu")]
    [InlineData(@"Win(?:dows )?98", "Win")]
    [InlineData(@"SMART-TV|\bTV\b|webOS\.TV|\bAFT[A-Z]", "SMART-TV|TV|webOS.TV|AFT")]
    [InlineData(@"Linux|linux-gnu|\blinux\b", "Linux|linux-gnu|linux")]
    [InlineData(@"(?<name>FreeBSD|OpenBSD)", null)]
    [InlineData(@"X|Windows", null)]
    [InlineData(@"(?i:brave)x", null)]
    [InlineData(@"[|(]ab|cd", "ab|cd")]
    public void The_required_literals_are_the_longest_text_every_match_of_an_alternative_contains(string pattern, string? literals) =>
        Assert.Equal(literals, TokenPattern.RequiredLiterals(pattern) is { } found ? string.Join('|', found) : null);

    [Fact]
    public void No_pattern_matches_a_user_agent_its_literals_would_dismiss()
    {
        var userAgents = new[] { "corpus.tsv", "uap-browsers.tsv", "uap-systems.tsv" }
            .SelectMany(f => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "UserAgents", f)))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[(l.LastIndexOf('\t') + 1)..])
            .ToList();
        var patterns = UserAgentRules.Browsers.Concat(UserAgentRules.Systems).Select(r => r.Pattern).Concat(UserAgentParser.Patterns).ToList();
        var wrong = new List<string>();
        foreach (var pattern in patterns.Where(p => p.Literals is not null))
        {
            wrong.AddRange(userAgents
                .Where(ua => !pattern.MayMatch(ua) && pattern.Regex.IsMatch(ua))
                .Select(ua => $"{pattern} (literals {string.Join(", ", pattern.Literals!)}) matches {ua}"));
        }

        Assert.True(patterns.Count(p => p.Literals is null) < 10, $"{patterns.Count(p => p.Literals is null)} patterns without a literal");
        Assert.Empty(wrong);
    }
}
