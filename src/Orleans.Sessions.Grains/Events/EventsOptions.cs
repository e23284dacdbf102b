using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Events;

/// <summary>The event log's settings, section <c>Sessions:Events</c> (docs/events.md, "Settings").</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Sessions:Events";

    /// <summary>How long events stay in the log: a consumer away longer misses what is older.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a silo deletes what is past <see cref="Retention"/>.</summary>
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Refuses event settings that cannot work, saying which.</summary>
public sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        var failures = new List<string>();
        if (options.Retention < TimeSpan.FromMinutes(1))
        {
            failures.Add($"Sessions:Events:Retention must be at least a minute; it is {options.Retention}.");
        }

        if (options.TrimInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Sessions:Events:TrimInterval must be at least a second; it is {options.TrimInterval}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
