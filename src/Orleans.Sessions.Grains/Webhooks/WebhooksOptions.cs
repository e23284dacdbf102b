using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Webhooks;

/// <summary>Webhook delivery settings, section <c>Sessions:Webhooks</c> (docs/webhooks.md, "Settings").</summary>
public sealed class WebhooksOptions
{
    public const string SectionName = "Sessions:Webhooks";

    /// <summary>How long an event is retried before it is dead-lettered and the endpoint marked failing.</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one delivery may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle endpoint looks for new events in the log.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Deliveries in flight per endpoint: different users' events side by side, each user's one at a time.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Whether endpoints may be on loopback, link-local or private addresses (off: the API cannot be used to probe the internal network).</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>Refuses webhook settings that cannot work, saying which.</summary>
public sealed class WebhooksOptionsValidator : IValidateOptions<WebhooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhooksOptions options)
    {
        var failures = new List<string>();
        Check(options.RetryFor, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7), "RetryFor");
        Check(options.FirstRetryDelay, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "FirstRetryDelay");
        Check(options.MaxRetryDelay, options.FirstRetryDelay, TimeSpan.FromDays(1), "MaxRetryDelay");
        Check(options.Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), "Timeout");
        Check(options.PollInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1), "PollInterval");
        if (options.Concurrency is < 1 or > 256)
        {
            failures.Add($"Sessions:Webhooks:Concurrency must be between 1 and 256; it is {options.Concurrency}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(TimeSpan value, TimeSpan min, TimeSpan max, string key)
        {
            if (value < min || value > max)
            {
                failures.Add($"Sessions:Webhooks:{key} must be between {min} and {max}; it is {value}.");
            }
        }
    }
}
