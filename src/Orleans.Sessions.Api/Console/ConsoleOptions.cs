using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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

    /// <summary>How long an administrator's console sign-in lasts without use (at least a minute, at most a day).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AdminIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long an administrator's console sign-in lasts at most, used or not (at least a minute, at most 7 days).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan AdminMaxLifetime { get; set; } = TimeSpan.FromHours(8);
}

[OptionsValidator]
public sealed partial class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>;
