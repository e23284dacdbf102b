using Orleans.Sessions.Devices.UserAgents;

namespace Orleans.Sessions.Devices.Tests.UserAgents;

/// <summary>The rules' literal prefilter: it only ever dismisses user agents the pattern could not match.</summary>
public sealed class UserAgentRuleTests
{
    [Theory]
    [InlineData(@"Edge?/(?<v>\d+)", "Edg")]
    [InlineData(@"Opera Mobi.*Version/(?<v>\d+)", "Opera Mobi")]
    [InlineData(@"Trident/7\.0.*rv:(?<v>\d+)", "Trident/7.0")]
    [InlineData(@"(?:iPhone|iPad|iPod).*Version/(?<v>\d+(?:[._]\d+)*).*Mobile.*Safari", "Version/")]
    [InlineData(@"\bKF[A-Z]{2,4} Build", " Build")]
    [InlineData(@"Windows Phone(?: OS)? (?<v>\d+)", "Windows Phone")]
    [InlineData(@"OPR/(?<v>\d+).*Mobile|Mobile.*OPR/(?<v>\d+)", null)]
    [InlineData(@"Ubuntu(?:/(?<v>\d+))?", "Ubuntu")]
    [InlineData(@"Win(?:dows )?98", "Win")]
    [InlineData(@"(?i:brave)x", null)]
    [InlineData(@"Silk?", "Sil")]
    public void The_required_literal_is_the_longest_text_every_match_contains(string pattern, string? literal) =>
        Assert.Equal(literal, Rule.RequiredLiteral(pattern));

    [Fact]
    public void No_rule_matches_a_user_agent_its_literal_would_dismiss()
    {
        var userAgents = new[] { "corpus.tsv", "uap-browsers.tsv", "uap-systems.tsv" }
            .SelectMany(f => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "UserAgents", f)))
            .Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[(l.LastIndexOf('\t') + 1)..])
            .ToList();
        var wrong = new List<string>();
        foreach (var rule in UserAgentRules.Browsers.Concat(UserAgentRules.Systems).Where(r => r.Literal is not null))
        {
            wrong.AddRange(userAgents
                .Where(ua => !ua.Contains(rule.Literal!, StringComparison.Ordinal) && rule.Pattern.IsMatch(ua))
                .Select(ua => $"{rule.Pattern} (literal \"{rule.Literal}\") matches {ua}"));
        }

        Assert.Empty(wrong);
    }
}
