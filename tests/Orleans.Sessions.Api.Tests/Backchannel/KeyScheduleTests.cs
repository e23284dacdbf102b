using System.Net;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Backchannel;

/// <summary>A host whose keys rotate every three seconds and stay published thirty seconds after.</summary>
public sealed class FastRotationApiFactory : SessionsApiFactory
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Sessions:Keys:RotationInterval"] = "00:00:03",
        ["Sessions:Keys:Overlap"] = "00:00:30",
    };
}

/// <summary>Scheduled rotation (docs/keys.md, "Rotation"): the next key takes over when the current one is old enough, and the replaced one stays published for the overlap.</summary>
public sealed class KeyScheduleTests(FastRotationApiFactory factory) : IClassFixture<FastRotationApiFactory>
{
    [Fact]
    public async Task A_key_older_than_the_rotation_interval_is_replaced_by_the_next_one_and_stays_published_for_the_overlap()
    {
        var api = new ApiClient(factory.CreateClient());
        var keys = $"/v1/tenants/{api.Tenant}/keys";
        var first = (await api.GetAsync(keys)).Body;
        var (current, next) = (Kid(first, "current"), Kid(first, "next"));

        JsonElement later = default;
        await WaitForAsync("the scheduled rotation", async () => Kid(later = (await api.GetAsync(keys)).Body, "current") != current, TimeSpan.FromSeconds(20));
        Assert.Equal(next, Kid(later, "current"));
        var retiring = later.GetProperty("items").EnumerateArray().Single(k => k.Str("kid") == current);
        Assert.Equal("retiring", retiring.Str("use"));
        var left = retiring.GetProperty("retiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(left, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));

        using var jwks = await factory.CreateAnonymousClient().GetAsync($"/v1/tenants/{api.Tenant}/.well-known/jwks.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.Contains(current, await jwks.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static string Kid(JsonElement keys, string use) => keys.GetProperty("items").EnumerateArray().First(k => k.Str("use") == use).Str("kid");
}

/// <summary>A host told the address it is reached at from outside.</summary>
public sealed class PublicUrlApiFactory : SessionsApiFactory
{
    public const string PublicUrl = "https://sessions.example.com/";

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Sessions:PublicUrl"] = PublicUrl };
}

/// <summary>The issuer (docs/keys.md, "Issuer"): from <c>Sessions:PublicUrl</c> when set, not from the request.</summary>
public sealed class PublicUrlTests(PublicUrlApiFactory factory) : IClassFixture<PublicUrlApiFactory>
{
    [Fact]
    public async Task The_issuer_and_jwks_uri_are_under_the_configured_public_url()
    {
        var api = new ApiClient(factory.CreateClient());
        var keys = (await api.GetAsync($"/v1/tenants/{api.Tenant}/keys")).Body;
        Assert.Equal($"https://sessions.example.com/v1/tenants/{api.Tenant}", keys.Str("issuer"));
        Assert.Equal($"https://sessions.example.com/v1/tenants/{api.Tenant}/.well-known/jwks.json", keys.Str("jwksUri"));

        var (status, client) = await api.PostAsync($"/v1/tenants/{api.Tenant}/clients", new { clientId = "portal", backchannelLogoutUri = "https://203.0.113.1/logout", enabled = false });
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        Assert.Equal(keys.Str("issuer"), client.Str("issuer"));
    }
}
