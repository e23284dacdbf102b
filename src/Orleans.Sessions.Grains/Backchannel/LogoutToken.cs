using System.Buffers;
using System.Text;
using System.Text.Json;
using Orleans.Sessions.Events;

namespace Orleans.Sessions.Backchannel;

/// <summary>
/// The claims of an OpenID Connect Back-Channel Logout 1.0 logout token (§2.4; docs/backchannel-logout.md, "The
/// token"): <c>iss</c>, <c>aud</c>, <c>iat</c>, <c>exp</c>, <c>jti</c>, <c>sub</c>, <c>sid</c> and <c>events</c> with
/// the back-channel-logout member; never a <c>nonce</c>. Signed by the tenant's key with <c>typ</c> <c>logout+jwt</c>.
/// </summary>
public static class LogoutToken
{
    public const string Type = "logout+jwt";
    public const string EventName = "http://schemas.openid.net/event/backchannel-logout";

    /// <summary>How long a token is valid: a delivery posts it at once, and each retry signs a new one.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <param name="client">Whose token: its issuer and client id.</param>
    /// <param name="ending">The event that ended the session.</param>
    /// <param name="now">When it is signed.</param>
    /// <param name="jti">Unique per token: each attempt is a new token (a relying party that refuses a replayed <c>jti</c> refuses nothing it has not seen).</param>
    public static string Claims(BackchannelClient client, SessionEvent ending, DateTimeOffset now, string jti)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("iss", client.Issuer);
            json.WriteString("aud", client.ClientId);
            json.WriteNumber("iat", now.ToUnixTimeSeconds());
            json.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            json.WriteString("jti", jti);
            json.WriteString("sub", ending.UserId);
            json.WriteString("sid", ending.Data.ExternalSessionId ?? ending.SessionId);
            json.WriteStartObject("events");
            json.WriteStartObject(EventName);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
