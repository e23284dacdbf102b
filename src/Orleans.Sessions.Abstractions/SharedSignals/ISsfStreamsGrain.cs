using System.Collections.Immutable;

namespace Orleans.Sessions.SharedSignals;

public enum VerificationOutcome
{
    Sent = 0,
    NoSuchStream = 1,
    TooSoon = 2,
}

/// <summary>A tenant's Shared Signals streams (key = tenant): their configuration, status and subjects; each push stream has a delivery of its own.</summary>
[Alias("sessions.ISsfStreamsGrain")]
public interface ISsfStreamsGrain : IGrainWithStringKey
{
    /// <summary>A new stream for <paramref name="audience"/>; null when the tenant has as many as it may.</summary>
    [Alias("Create")]
    Task<SsfStream?> CreateAsync(string audience, string issuer, SsfStreamSpec spec);

    /// <summary>The streams of <paramref name="audience"/>.</summary>
    [Alias("List")]
    Task<ImmutableArray<SsfStream>> ListAsync(string audience);

    /// <summary>Every stream of the tenant, whoever its receiver (the console's list, docs/console.md).</summary>
    [Alias("ListAll")]
    Task<ImmutableArray<SsfStream>> ListAllAsync();

    /// <summary>The stream, if it is <paramref name="audience"/>'s.</summary>
    [Alias("Get")]
    Task<SsfStream?> GetAsync(string audience, string id);

    /// <summary>The stream whose delivery or poll asks, whoever its receiver.</summary>
    /// <remarks>
    /// Interleaved (a read): a poll grain asks it while this grain may be waiting for that poll grain — a deletion stops
    /// the poll grain — and must not wait for this grain's turn, which would be a deadlock until the call timed out.
    /// </remarks>
    [Alias("Find")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<SsfStream?> FindAsync(string id);

    /// <summary>Changes what <paramref name="spec"/> gives (<paramref name="replace"/>: and clears what it does not).</summary>
    [Alias("Update")]
    Task<SsfStream?> UpdateAsync(string audience, string id, SsfStreamSpec spec, bool replace);

    [Alias("Delete")]
    Task<bool> DeleteAsync(string audience, string id);

    [Alias("SetStatus")]
    Task<SsfStream?> SetStatusAsync(string audience, string id, SsfStreamStatus status, string? reason);

    /// <summary>Adds (<paramref name="add"/>) a subject back, or removes it from the stream.</summary>
    [Alias("Subject")]
    Task<SsfStream?> SubjectAsync(string audience, string id, SsfSubject subject, bool add);

    /// <summary>
    /// Sends the stream a verification SET carrying <paramref name="state"/> (SSF 1.0 §8.1.4), after the answer, once
    /// and not retried: a receiver that misses it asks again. <see cref="VerificationOutcome.TooSoon"/> within
    /// <see cref="SsfStream.MinVerificationInterval"/> of the last.
    /// </summary>
    [Alias("Verify")]
    Task<VerificationOutcome> VerifyAsync(string audience, string id, string? state);

    [Alias("SetFailing")]
    Task SetFailingAsync(string id, DateTimeOffset? since);
}
