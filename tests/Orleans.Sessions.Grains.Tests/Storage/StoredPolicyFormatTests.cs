using System.Text;
using System.Text.Json;
using Orleans.Sessions.Policy;
using Orleans.Storage;

namespace Orleans.Sessions.Grains.Tests.Storage;

/// <summary>
/// The stored format of a tenant's policy (docs/policy.md), as this version writes it: the row below must load in every
/// later version (fields are added, never renamed).
/// </summary>
public sealed class StoredPolicyFormatTests
{
    private const string PolicyRow = """
        {"current":{"policy":{"expiresIn":"08:00:00","idleTimeout":"00:10:00","maxSessionsPerUser":20,
          "activeSessionLimit":{"max":5,"onLimit":"endOldest"},
          "clients":[{"clientId":"kiosk","expiresIn":"00:15:00","activeSessionLimit":{"max":1,"onLimit":"refuse"}}]},
          "version":3,"updatedAt":"2026-12-03T12:00:00+00:00","updatedBy":"acme-admin"}}
        """;

    /// <summary>A policy with risk settings, as this version writes it.</summary>
    private const string RiskPolicyRow = """
        {"current":{"policy":{"clients":[],"risk":{"enabled":true,"deviceMemory":"30.00:00:00","maxSpeedKmh":1000,"distantKm":500,"weights":{"new_country":40}}},
          "version":1,"updatedAt":"2026-12-03T12:00:00+00:00","updatedBy":"acme-admin"}}
        """;

    private static readonly SystemTextJsonGrainStorageSerializer Serializer = StorageJson.Serializer;

    [Fact]
    public void A_tenants_policy_loads_with_its_version_and_client_entries()
    {
        var stored = Serializer.Deserialize<TenantPolicyState>(new BinaryData(Encoding.UTF8.GetBytes(PolicyRow)))!.Current;

        Assert.Equal((3L, "acme-admin", new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero)), (stored.Version, stored.UpdatedBy, stored.UpdatedAt!.Value));
        var expected = new TenantPolicy
        {
            ExpiresIn = TimeSpan.FromHours(8),
            IdleTimeout = TimeSpan.FromMinutes(10),
            MaxSessionsPerUser = 20,
            ActiveSessionLimit = new ActiveSessionLimit(5, ActiveSessionLimitPolicy.EndOldest),
            Clients = [new ClientPolicy { ClientId = "kiosk", ExpiresIn = TimeSpan.FromMinutes(15), ActiveSessionLimit = new ActiveSessionLimit(1, ActiveSessionLimitPolicy.Refuse) }],
        };
        Assert.Equal(expected, stored.Policy);
    }

    [Fact]
    public void A_policy_is_written_as_it_is_read()
    {
        var state = Serializer.Deserialize<TenantPolicyState>(new BinaryData(Encoding.UTF8.GetBytes(PolicyRow)))!;
        using var written = JsonDocument.Parse(Serializer.Serialize(state).ToArray());
        using var expected = JsonDocument.Parse(PolicyRow);
        Assert.True(JsonElement.DeepEquals(expected.RootElement, written.RootElement), written.RootElement.GetRawText());
    }

    [Fact]
    public void A_policy_with_risk_settings_loads_and_is_written_as_it_is_read()
    {
        var state = Serializer.Deserialize<TenantPolicyState>(new BinaryData(Encoding.UTF8.GetBytes(RiskPolicyRow)))!;

        var expected = new RiskPolicy
        {
            Enabled = true,
            DeviceMemory = TimeSpan.FromDays(30),
            MaxSpeedKmh = 1000,
            DistantKm = 500,
            Weights = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange([KeyValuePair.Create("new_country", 40)]),
        };
        Assert.Equal(new TenantPolicy { Risk = expected }, state.Current.Policy);
        Assert.Null(Serializer.Deserialize<TenantPolicyState>(new BinaryData(Encoding.UTF8.GetBytes(PolicyRow)))!.Current.Policy.Risk);
        using var written = JsonDocument.Parse(Serializer.Serialize(state).ToArray());
        using var row = JsonDocument.Parse(RiskPolicyRow);
        Assert.True(JsonElement.DeepEquals(row.RootElement, written.RootElement), written.RootElement.GetRawText());
    }

    [Fact]
    public void A_tenant_that_never_set_a_policy_loads_as_version_0_with_none()
    {
        var stored = Serializer.Deserialize<TenantPolicyState>(new BinaryData("{}"u8.ToArray()))!.Current;
        Assert.Equal((0L, TenantPolicy.None), (stored.Version, stored.Policy));
    }
}
