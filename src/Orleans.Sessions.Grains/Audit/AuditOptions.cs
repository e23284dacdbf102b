using System.ComponentModel.DataAnnotations;

namespace Orleans.Sessions.Audit;

/// <summary>The audit history's settings, section <c>Sessions:Audit</c> (docs/audit.md).</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Sessions:Audit";

    /// <summary>How long entries are kept.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often a silo deletes what is past <see cref="Retention"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Checks the ranges declared on <see cref="AuditOptions"/> at start-up (source-generated).</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class AuditOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<AuditOptions>;
