using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>A JWT's claims read without checking it: to tell tokens apart, never to trust one (tests verify with jose).</summary>
public static class UnverifiedJwt
{
    public static JsonElement Claims(string token) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;

    /// <summary>The session a SET's <c>sub_id</c> names.</summary>
    public static string SessionOf(string set) => Claims(set).GetProperty("sub_id").GetProperty("session").GetProperty("id").GetString()!;
}
