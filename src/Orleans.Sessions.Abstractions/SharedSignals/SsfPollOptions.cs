using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Orleans.Sessions.SharedSignals;

/// <summary><c>Sessions:SharedSignals</c>: how poll delivery (RFC 8936) waits and resends (docs/shared-signals.md, "Poll delivery").</summary>
public sealed class SsfPollOptions
{
    public const string SectionName = "Sessions:SharedSignals";

    /// <summary>How long a poll without <c>returnImmediately</c> waits for a SET before it answers none; zero answers at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan LongPollTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a waiting poll asks again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan LongPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Polls a host lets wait at once; beyond them a poll answers at once, as if it had asked to.</summary>
    [Range(0, 100_000)]
    public int MaxWaitingPolls { get; set; } = 200;

    /// <summary>SETs a poll stream keeps waiting for acknowledgement; past them nothing new is read until some are acknowledged.</summary>
    [Range(1, 10_000)]
    public int MaxUnacknowledged { get; set; } = 1_000;

    /// <summary>How long an answered SET waits for its acknowledgement before a poll answers it again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(30);
}

[OptionsValidator]
public sealed partial class SsfPollOptionsValidator : IValidateOptions<SsfPollOptions>;
