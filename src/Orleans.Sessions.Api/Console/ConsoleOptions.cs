namespace Orleans.Sessions.Api.Console;

/// <summary>The <c>Sessions:Console</c> section (docs/console.md).</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Sessions:Console";

    /// <summary>Whether the host serves <c>/console/</c>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Origins that may frame the end-user page (an application embedding "where you're signed in"), as CSP
    /// <c>frame-ancestors</c> sources such as <c>https://app.example.com</c>; none by default, and never the
    /// administration pages.
    /// </summary>
    public string[] FrameAncestors { get; set; } = [];
}
