using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Orleans.Sessions.Api.Tests;

/// <summary>A configured API key of the test host, with its secret (the host only ever sees the hash).</summary>
public sealed record TestKey(string Name, string Tenant, string[] Roles, string[] Populations, string? TotpSecret = null)
{
    public string Secret { get; } = $"secret-{Name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Name)))[..16]}";

    public IEnumerable<KeyValuePair<string, string>> Settings(int index)
    {
        var at = $"Sessions:Auth:Keys:{index.ToString(CultureInfo.InvariantCulture)}:";
        yield return new(at + "Name", Name);
        yield return new(at + "Tenant", Tenant);
        yield return new(at + "SecretHash", "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Secret))));
        for (var i = 0; i < Roles.Length; i++)
        {
            yield return new($"{at}Roles:{i}", Roles[i]);
        }

        for (var i = 0; i < Populations.Length; i++)
        {
            yield return new($"{at}Populations:{i}", Populations[i]);
        }

        if (TotpSecret is not null)
        {
            yield return new(at + "TotpSecret", TotpSecret);
        }
    }
}

/// <summary>The keys every test host is configured with: one per role on <see cref="Tenant"/>, and the edge cases.</summary>
public static class TestKeys
{
    public const string Tenant = "keyed";
    public const string OtherTenant = "keyed-other";
    public const string Population = "pop-a";
    public const string OtherPopulation = "pop-b";

    /// <summary>Base32 of the 20 ASCII bytes "12345678901234567890", the secret of RFC 6238's test vectors.</summary>
    public const string RfcTotpSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    private static readonly string[] AllRoles = ["sessions:write", "sessions:read", "sessions:read-all", "sessions:revoke", "sessions:events"];

    public static TestKey Write { get; } = new("k-write", Tenant, ["sessions:write"], []);
    public static TestKey Read { get; } = new("k-read", Tenant, ["sessions:read"], []);
    public static TestKey ReadAll { get; } = new("k-read-all", Tenant, ["sessions:read-all"], []);
    public static TestKey Revoke { get; } = new("k-revoke", Tenant, ["sessions:revoke"], []);
    public static TestKey Events { get; } = new("k-events", Tenant, ["sessions:events"], []);
    public static TestKey OtherTenantKey { get; } = new("k-other-tenant", OtherTenant, AllRoles, []);
    public static TestKey OtherPopulationKey { get; } = new("k-other-population", Tenant, AllRoles, [OtherPopulation]);
    public static TestKey PopulationKey { get; } = new("k-population", Tenant, AllRoles, [Population]);
    public static TestKey AllTenants { get; } = new("k-all-tenants", "*", AllRoles, []);
    public static TestKey Totp { get; } = new("k-totp", Tenant, ["sessions:read-all"], [], RfcTotpSecret);

    /// <summary>An operator's key: <c>sessions:admin</c> on every tenant (the Orleans dashboard).</summary>
    public static TestKey Admin { get; } = new("k-admin", "*", ["sessions:admin"], []);

    /// <summary><c>sessions:admin</c> on one tenant only: not enough for what spans the cluster.</summary>
    public static TestKey TenantAdmin { get; } = new("k-tenant-admin", Tenant, ["sessions:admin"], []);

    /// <summary>The console's operator: every role the administration pages use, on every tenant.</summary>
    public static TestKey ConsoleOperator { get; } = new("k-console", "*", ["sessions:read", "sessions:read-all", "sessions:revoke", "sessions:admin"], []);

    /// <summary>The console's reader: sees every session of every tenant, ends none.</summary>
    public static TestKey ConsoleReader { get; } = new("k-console-reader", "*", ["sessions:read", "sessions:read-all"], []);

    public static IReadOnlyList<TestKey> All { get; } =
        [Write, Read, ReadAll, Revoke, Events, OtherTenantKey, OtherPopulationKey, PopulationKey, AllTenants, Totp, Admin, TenantAdmin, ConsoleOperator, ConsoleReader];

    public static IEnumerable<KeyValuePair<string, string>> Settings() => All.SelectMany((key, i) => key.Settings(i));
}
