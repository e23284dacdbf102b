using System.Text;
using Orleans.Sessions.Backchannel;
using Orleans.Sessions.Keys;
using Orleans.Storage;

namespace Orleans.Sessions.Grains.Tests.Storage;

/// <summary>
/// The stored formats of a tenant's signing keys and back-channel logout clients, as this version writes them: the
/// rows below must load in every later version (fields are added, never renamed).
/// </summary>
public sealed class StoredKeysAndClientsFormatTests
{
    private const string KeysRow = """
        {"keys":[
          {"kid":"9ErrGqduY8LTBURDAGysiryTsUgY1kmLc6Zc1czDNi4","use":"current","createdAt":"2026-12-03T12:00:00+00:00",
           "currentSince":"2026-12-03T12:00:00+00:00","retiresAt":null,"privateKey":"MAECAwQ=","modulus":"jFfe","exponent":"AQAB"},
          {"kid":"WA0SABg5W7RunMRhKU-lgoXuZLA1RouguZOsg4KX2rQ","use":"next","createdAt":"2026-12-03T12:00:00+00:00",
           "currentSince":null,"retiresAt":null,"privateKey":"MAUGBwg=","modulus":"pAWr","exponent":"AQAB"},
          {"kid":"old","use":"retiring","createdAt":"2026-09-03T12:00:00+00:00",
           "currentSince":"2026-09-03T12:00:00+00:00","retiresAt":"2026-12-10T12:00:00+00:00","privateKey":"MAkK","modulus":"xyz","exponent":"AQAB"}]}
        """;

    private const string ClientsRow = """
        {"clients":[{"id":"rp_01M8Y022RAAFBASRNFEPWVA5EF","clientId":"https://app.example/oidc","logoutUri":"https://app.example/logout",
          "sessionRequired":true,"issuer":"https://sessions.example/v1/tenants/acme","enabled":false,"description":"portal",
          "createdAt":"2026-12-03T12:00:00+00:00","failingSince":"2026-12-03T13:00:00+00:00"}]}
        """;

    private static readonly SystemTextJsonGrainStorageSerializer Serializer = StorageJson.Serializer;

    [Fact]
    public void A_tenants_keys_load_with_their_use_times_and_private_halves()
    {
        var state = Serializer.Deserialize<SigningKeysState>(new BinaryData(Encoding.UTF8.GetBytes(KeysRow)))!;

        Assert.Equal([KeyUse.Current, KeyUse.Next, KeyUse.Retiring], state.Keys.Select(k => k.Use));
        var current = state.Keys[0];
        Assert.Equal(("9ErrGqduY8LTBURDAGysiryTsUgY1kmLc6Zc1czDNi4", "jFfe", "AQAB"), (current.Kid, current.Modulus, current.Exponent));
        Assert.Equal([0x30, 0x01, 0x02, 0x03, 0x04], current.PrivateKey);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero), current.CurrentSince);
        Assert.Equal(new DateTimeOffset(2026, 12, 10, 12, 0, 0, TimeSpan.Zero), state.Keys[2].RetiresAt);
        Assert.Null(state.Keys[1].CurrentSince);
    }

    [Fact]
    public void Keys_are_written_under_the_names_they_are_read_by()
    {
        var state = Serializer.Deserialize<SigningKeysState>(new BinaryData(Encoding.UTF8.GetBytes(KeysRow)))!;
        using var written = System.Text.Json.JsonDocument.Parse(Serializer.Serialize(state).ToArray());
        using var expected = System.Text.Json.JsonDocument.Parse(KeysRow);
        // The retiring key has every member set (nulls are not written).
        Assert.Equal(
            expected.RootElement.GetProperty("keys")[2].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            written.RootElement.GetProperty("keys")[2].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("retiring", written.RootElement.GetProperty("keys")[2].GetProperty("use").GetString());
    }

    [Fact]
    public void A_tenants_back_channel_clients_load()
    {
        var state = Serializer.Deserialize<BackchannelClientsState>(new BinaryData(Encoding.UTF8.GetBytes(ClientsRow)))!;

        var client = Assert.Single(state.Clients);
        Assert.Equal(("rp_01M8Y022RAAFBASRNFEPWVA5EF", "https://app.example/oidc", "https://app.example/logout"), (client.Id, client.ClientId, client.LogoutUri));
        Assert.Equal((true, false, "portal"), (client.SessionRequired, client.Enabled, client.Description));
        Assert.Equal("https://sessions.example/v1/tenants/acme", client.Issuer);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 13, 0, 0, TimeSpan.Zero), client.FailingSince);
    }
}
