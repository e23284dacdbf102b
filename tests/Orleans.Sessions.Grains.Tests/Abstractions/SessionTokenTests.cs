using Orleans.Sessions.Users;

namespace Orleans.Sessions.Grains.Tests.Abstractions;

public sealed class SessionTokenTests
{
    private const string SessionId = "01JDX3ZQ6K7N8P9R0S1T2V3W4X";

    [Fact]
    public void A_token_names_its_session_and_hashes_to_the_stored_hash()
    {
        var (token, hash) = SessionToken.Create("acme", "alice@example.com", SessionId);

        Assert.True(SessionToken.TryParse(token, out var tenant, out var userId, out var sessionId, out var parsedHash));
        Assert.Equal(("acme", "alice@example.com", SessionId, hash), (tenant, userId, sessionId, parsedHash));
        Assert.DoesNotContain(hash, token, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_tokens_for_the_same_session_differ()
    {
        Assert.NotEqual(SessionToken.Create("acme", "alice", SessionId).Token, SessionToken.Create("acme", "alice", SessionId).Token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sst_")]
    [InlineData("sst_YQ")]
    [InlineData("sst_YQ.a.b")]
    [InlineData("sst_YQ.!!!!")]
    [InlineData("sst_!!.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sst_YWNtZQ.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("sst_YWNtZS9hbGljZS8wMUpEWDNaUTZLN044UDlSMFMxVDJWM1c0WA.AAAA")]
    [InlineData("Bearer sst_x.y")]
    public void Malformed_tokens_are_refused_without_throwing(string? token)
    {
        Assert.False(SessionToken.TryParse(token, out _, out _, out _, out _));
    }

    [Fact]
    public void A_token_with_invalid_utf8_in_its_subject_is_refused()
    {
        var subject = System.Buffers.Text.Base64Url.EncodeToString([0xFF, 0xFE, 0x2F]);
        var secret = System.Buffers.Text.Base64Url.EncodeToString(new byte[32]);

        Assert.False(SessionToken.TryParse($"sst_{subject}.{secret}", out _, out _, out _, out _));
    }
}
