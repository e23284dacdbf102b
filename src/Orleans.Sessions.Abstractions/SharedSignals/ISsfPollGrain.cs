using System.Collections.Immutable;

namespace Orleans.Sessions.SharedSignals;

/// <summary>A SET the receiver could not take (RFC 8936 <c>setErrs</c>): an error code of RFC 8935 and what it said.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SsfSetError")]
public sealed record SsfSetError([property: Id(0)] string Jti, [property: Id(1)] string Err, [property: Id(2)] string? Description);

/// <summary>One poll (RFC 8936 §2.4): the SETs it acknowledges or refuses, and how many new ones it takes at most.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SsfPoll")]
public sealed record SsfPoll(
    [property: Id(0)] string Audience,
    [property: Id(1)] ImmutableArray<string> Acks,
    [property: Id(2)] ImmutableArray<SsfSetError> Errors,
    [property: Id(3)] int MaxEvents);

/// <summary>A poll's answer: the SETs by <c>jti</c>, in log order, and whether more were left for the next poll.</summary>
[GenerateSerializer, Immutable, Alias("sessions.SsfPollAnswer")]
public sealed record SsfPollAnswer(
    [property: Id(0)] ImmutableArray<KeyValuePair<string, string>> Sets,
    [property: Id(1)] bool MoreAvailable)
{
    public static SsfPollAnswer Empty { get; } = new([], false);
}

/// <summary>
/// The SETs of one poll stream (key = <c>tenant/st_…</c>; docs/shared-signals.md, "Poll delivery"): it reads the event
/// log from its stored position when polled, and keeps each SET it answered until the receiver acknowledges it —
/// stored before the answer leaves, so nothing answered is lost, and sent again when not acknowledged in time.
/// </summary>
[Alias("sessions.ISsfPollGrain")]
public interface ISsfPollGrain : IGrainWithStringKey
{
    /// <summary>Starts at the end of the log: the stream gets what happens from now on (idempotent).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>
    /// Takes the acknowledgements and errors, then answers up to <see cref="SsfPoll.MaxEvents"/> SETs: those answered
    /// before and not acknowledged within the resend delay, then new ones. Null when the stream is not a poll stream of
    /// <see cref="SsfPoll.Audience"/>.
    /// </summary>
    [Alias("Poll")]
    Task<SsfPollAnswer?> PollAsync(SsfPoll poll);

    /// <summary>Forgets everything: the stream was deleted.</summary>
    [Alias("Stop")]
    Task StopAsync();
}
