using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using Orleans.Sessions.Api.Compat;
using Orleans.Sessions.Users;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// WorkOS' <c>ip_address</c> and Symphony's <c>clientIp</c> are the address a session was created from, also for
/// records stored before the session kept it.
/// </summary>
public sealed class CreationAddressTests(OwnClockApiFactory factory) : IClassFixture<OwnClockApiFactory>
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task WorkOs_and_Symphony_show_the_creation_address_after_activity_and_sign_ons_elsewhere()
    {
        var user = await SeedUser.CreateAsync(factory, sessions: 1);
        var session = $"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions/{user.SessionId(0)}";
        Assert.Equal(HttpStatusCode.Accepted, (await SeedUser.PostAsync(user.Admin, session + "/activity", new { ip = "203.0.113.60" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await SeedUser.PostAsync(user.Admin, session + "/sign-ons", new { ip = "203.0.113.61", authMethod = "mfa" })).Status);

        var (_, workOs, _) = await SeedUser.GetAsync(user.Client(h => h.Authorization = new AuthenticationHeaderValue("Bearer", SessionsApiFactory.BootstrapKey)), $"/user_management/users/{user.UserId}/sessions");
        var (_, symphony, _) = await SeedUser.GetAsync(user.Client(h => h.Add("sessionToken", SessionsApiFactory.BootstrapKey)), $"/pod/v1/users/{user.UserId}/sessions");

        Assert.Equal("198.51.100.10", workOs.GetProperty("data")[0].GetProperty("ip_address").GetString());
        Assert.Equal("198.51.100.10", symphony.GetProperty("sessions")[0].GetProperty("clientIp").GetString());
    }

    [Fact]
    public void A_record_that_keeps_the_creation_address_answers_it()
    {
        var session = Record(signOns: [SignOn(3, "203.0.113.3")], locations: [Location(3, "203.0.113.3")]) with { CreationIp = "198.51.100.7" };

        Assert.Equal("198.51.100.7", FacadeSupport.CreationIp(session));
    }

    [Fact]
    public void An_older_record_answers_its_first_sign_on_while_the_history_holds_it()
    {
        var session = Record(
            signOns: [SignOn(5, "203.0.113.9"), SignOn(0, "198.51.100.7")],
            locations: [Location(5, "203.0.113.9")]);

        Assert.Equal("198.51.100.7", FacadeSupport.CreationIp(session));
    }

    [Fact]
    public void An_older_record_that_lost_its_first_sign_on_answers_the_oldest_address_it_holds()
    {
        var session = Record(
            signOns: [SignOn(3, "203.0.113.3"), SignOn(2, "203.0.113.2")],
            locations: [Location(3, "203.0.113.3"), Location(1, "203.0.113.1")]);

        Assert.Equal("203.0.113.1", FacadeSupport.CreationIp(session));
    }

    private static SignOnEvent SignOn(int minute, string ip) => new(Created.AddMinutes(minute), ip, "password");

    private static GeoLocation Location(int minute, string ip) => new(Created.AddMinutes(minute), ip, null, null, null, null, null, null);

    private static Session Record(ImmutableArray<SignOnEvent> signOns, ImmutableArray<GeoLocation> locations) => new()
    {
        Id = "01M81J18G0VMN7YN6GJN8B5ZQF",
        Tenant = "acme",
        UserId = "alice",
        Status = SessionStatus.Active,
        CreatedAt = Created,
        ActiveAt = Created,
        ExpiresAt = Created.AddDays(1),
        IdleExpiresAt = Created.AddHours(1),
        AuthMethod = "password",
        Device = new DeviceInfo(null, new BrowserInfo("Other", null, null), new OsInfo("Other", null), "other", null, null, null),
        LastSignOn = signOns[0],
        SignOns = signOns,
        Locations = locations,
    };
}
