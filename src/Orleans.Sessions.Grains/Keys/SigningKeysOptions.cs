using Microsoft.Extensions.Options;

namespace Orleans.Sessions.Keys;

/// <summary>Signing key settings, section <c>Sessions:Keys</c> (docs/keys.md, "Settings").</summary>
public sealed class SigningKeysOptions
{
    public const string SectionName = "Sessions:Keys";

    /// <summary>How long a key signs before the next one takes over.</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a replaced key stays published after a scheduled rotation (and after one asked for without an overlap).</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Refuses key settings that cannot work, saying which.</summary>
public sealed class SigningKeysOptionsValidator : IValidateOptions<SigningKeysOptions>
{
    public static readonly TimeSpan MaxOverlap = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, SigningKeysOptions options)
    {
        var failures = new List<string>();
        if (options.RotationInterval < TimeSpan.FromSeconds(1) || options.RotationInterval > TimeSpan.FromDays(3 * 365))
        {
            failures.Add($"Sessions:Keys:RotationInterval must be between 00:00:01 and 1095.00:00:00; it is {options.RotationInterval}.");
        }

        if (options.Overlap < TimeSpan.Zero || options.Overlap > MaxOverlap)
        {
            failures.Add($"Sessions:Keys:Overlap must be between 00:00:00 and {MaxOverlap}; it is {options.Overlap}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
