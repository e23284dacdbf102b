using System.ComponentModel.DataAnnotations;

namespace Orleans.Sessions;

/// <summary>The <c>Sessions</c> configuration section: bounds and lifetimes (docs/sessions.md; every key in docs/operations.md).</summary>
public sealed class SessionsOptions
{
    public const string SectionName = "Sessions";

    [Range(1, 1000)]
    public int MaxSessionsPerUser { get; set; } = 10;

    [Range(1, 100)]
    public int MaxLocationsPerSession { get; set; } = 5;

    [Range(1, 100)]
    public int MaxSignOnsPerSession { get; set; } = 10;

    [Range(1, 100)]
    public int MaxClientIdsPerSession { get; set; } = 16;

    /// <summary>Off when null; otherwise at most this many active sessions per user.</summary>
    [Range(1, 1000)]
    public int? MaxActiveSessionsPerUser { get; set; }

    public ActiveSessionLimitPolicy ActiveSessionLimitPolicy { get; set; } = ActiveSessionLimitPolicy.EndOldest;

    /// <summary>The two settings above as one limit, or null when there is none.</summary>
    public ActiveSessionLimit? ActiveSessionLimit =>
        MaxActiveSessionsPerUser is { } max ? new ActiveSessionLimit(max, ActiveSessionLimitPolicy) : null;

    /// <summary>Absolute lifetime of a session unless the sign-on says otherwise.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan DefaultExpiresIn { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Idle lifetime after the last activity unless the sign-on says otherwise.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan DefaultIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a silo serves a tenant's policy before asking its grain again: the bound on how late a policy change
    /// reaches a sign-on on another silo (docs/policy.md, "When a change applies"). Zero asks on every sign-on.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PolicyRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many directory shards each tenant's list-all is spread over (docs/api.md, "List-all").</summary>
    [Range(1, 4096)]
    public int DirectoryShards { get; set; } = SessionDirectory.DirectoryShards.DefaultCount;

    /// <summary>
    /// Metadata keys the directory shards index (docs/api.md, "List-all"): a list-all or count filtering
    /// <c>metadata.{key}</c> by one of them looks only at the sessions with that value; other keys are scanned.
    /// </summary>
    [MaxLength(8)]
    public string[] DirectoryIndexedMetadataKeys { get; set; } = [];

    /// <summary>Whether user grains feed the directory (off only to measure what it costs).</summary>
    public bool DirectoryEnabled { get; set; } = true;

    /// <summary>
    /// How often each shard asks every user it covers to publish itself again, repairing lost updates. Longer
    /// than Orleans' idle collection age (15 min), so reconciliation does not keep idle user grains alive.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DirectoryReconcileInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How many users a shard asks to publish per second while reconciling.</summary>
    [Range(1, 1_000_000)]
    public int DirectoryReconcileRate { get; set; } = 2000;

    /// <summary>How long coalesced activity may wait in memory before it is stored.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ActivityFlushInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The risk evaluation (<c>Sessions:Risk</c>, docs/risk.md).</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public Risk.RiskOptions Risk { get; set; } = new();
}

/// <summary>Checks the ranges declared on <see cref="SessionsOptions"/> at start-up (source-generated).</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class SessionsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SessionsOptions>;
