using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OtpNet;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// Refuses to start with keys that could not work as written, and — outside Development — with no
/// credential at all, saying what to set.
/// </summary>
public sealed partial class SessionsAuthOptionsValidator(IHostEnvironment environment) : IValidateOptions<SessionsAuthOptions>
{
    /// <summary>Secrets shorter than this are refused: a bootstrap key has every right on every tenant.</summary>
    public const int MinBootstrapKeyLength = 16;

    /// <summary>RFC 4226 asks for at least 128 bits of shared secret and recommends 160; 80 is the floor authenticator apps use.</summary>
    public const int MinTotpSecretBytes = 10;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase) { Caller.BootstrapName, Caller.SelfName, "system", "anonymous" };

    public ValidateOptionsResult Validate(string? name, SessionsAuthOptions options)
    {
        var failures = new List<string>();
        if (options.BootstrapKey is { } bootstrap && bootstrap.Length is > 0 and < MinBootstrapKeyLength)
        {
            failures.Add($"Sessions:Auth:BootstrapKey must be at least {MinBootstrapKeyLength} characters.");
        }

        if (string.IsNullOrEmpty(options.BootstrapKey) && options.Keys.Count == 0 && !environment.IsDevelopment())
        {
            failures.Add(
                "No credentials are configured, so no request could be authorized. Set Sessions:Auth:BootstrapKey "
                + "(environment variable Sessions__Auth__BootstrapKey) to a secret of at least 16 characters, or configure "
                + "API keys under Sessions:Auth:Keys (docs/security.md). Only the Development environment starts without either.");
        }

        if (options.SessionTokenCacheDuration < TimeSpan.Zero || options.SessionTokenCacheDuration > TimeSpan.FromSeconds(1))
        {
            failures.Add("Sessions:Auth:SessionTokenCacheDuration must be between 00:00:00 and 00:00:01: a revoked token must stop working within a second.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Keys.Count; i++)
        {
            ValidateKey(options.Keys[i], $"Sessions:Auth:Keys:{i}", names, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateKey(ApiKeyOptions key, string at, HashSet<string> names, List<string> failures)
    {
        if (!UserKey.IsValidId(key.Name))
        {
            failures.Add($"{at}:Name must be 1-128 characters of [A-Za-z0-9._@:-].");
        }
        else if (ReservedNames.Contains(key.Name))
        {
            failures.Add($"{at}:Name '{key.Name}' is reserved.");
        }
        else if (!names.Add(key.Name))
        {
            failures.Add($"{at}:Name '{key.Name}' is used by another key.");
        }

        if (key.Tenant != Caller.AllTenants && !UserKey.IsValidId(key.Tenant))
        {
            failures.Add($"{at}:Tenant must be a tenant id or '*'.");
        }

        if (!SecretHashPattern().IsMatch(key.SecretHash))
        {
            failures.Add($"{at}:SecretHash must be 'sha256:' and the 64 hex digits of the SHA-256 of the secret's UTF-8 bytes.");
        }

        if (key.Roles.Count == 0)
        {
            failures.Add($"{at}:Roles must name at least one role.");
        }

        foreach (var role in key.Roles.Where(r => !SessionRoleNames.ByName.ContainsKey(r)))
        {
            failures.Add($"{at}:Roles has unknown role '{role}'; the roles are {string.Join(", ", SessionRoleNames.ByName.Keys)}.");
        }

        if (key.Populations.Any(p => !UserKey.IsValidId(p)))
        {
            failures.Add($"{at}:Populations must be ids of 1-128 characters of [A-Za-z0-9._@:-].");
        }

        if (key.TotpSecret is { Length: > 0 } totp && !IsTotpSecret(totp))
        {
            failures.Add($"{at}:TotpSecret must be base32 of at least {MinTotpSecretBytes} bytes.");
        }
    }

    private static bool IsTotpSecret(string secret)
    {
        if (!Base32Pattern().IsMatch(secret))
        {
            return false;
        }

        try
        {
            return Base32Encoding.ToBytes(secret).Length >= MinTotpSecretBytes;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex("^sha256:[0-9a-fA-F]{64}$")]
    private static partial Regex SecretHashPattern();

    [GeneratedRegex("^[A-Za-z2-7]+=*$")]
    private static partial Regex Base32Pattern();
}
