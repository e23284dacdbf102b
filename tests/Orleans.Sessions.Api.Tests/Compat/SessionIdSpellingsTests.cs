using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>The tests' own spellings of a session id, and the product's codec agreeing with them.</summary>
public sealed class SessionIdSpellingsTests
{
    [Theory]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAV", "01563e3a-b5d3-d676-4c61-efb99302bd5b", "01563E3AB5D3D6764C61EFB99302BD5B")]
    [InlineData("00000000000000000000000000", "00000000-0000-0000-0000-000000000000", "00000000000000000000000000000000")]
    [InlineData("7ZZZZZZZZZZZZZZZZZZZZZZZZZ", "ffffffff-ffff-ffff-ffff-ffffffffffff", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF")]
    public void The_tests_spellings_match_known_values_both_ways(string ulid, string uuid, string hex)
    {
        Assert.Equal((uuid, hex, "session_" + ulid), (SessionIdSpellings.ToUuid(ulid), SessionIdSpellings.ToHex(ulid), SessionIdSpellings.ToWorkOs(ulid)));
        Assert.Equal((ulid, ulid, ulid), (SessionIdSpellings.FromUuid(uuid), SessionIdSpellings.FromHex(hex), SessionIdSpellings.FromWorkOs("session_" + ulid)));
    }

    [Fact]
    public void The_products_codec_spells_every_id_as_the_tests_do()
    {
        for (var i = 0; i < 200; i++)
        {
            var id = Ulid.NewUlid().ToString();

            Assert.Equal(SessionIdSpellings.ToUuid(id), SessionIdCodec.ToUuid(id));
            Assert.Equal(SessionIdSpellings.ToHex(id), SessionIdCodec.ToHex(id));
            Assert.Equal(SessionIdSpellings.ToWorkOs(id), SessionIdCodec.ToWorkOs(id));
            Assert.True(SessionIdCodec.TryFromUuid(SessionIdSpellings.ToUuid(id), out var fromUuid) && fromUuid == id);
            Assert.True(SessionIdCodec.TryFromHex(SessionIdSpellings.ToHex(id), out var fromHex) && fromHex == id);
        }
    }
}
