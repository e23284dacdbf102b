using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// A user of the default tenant (what the tenant-less façades serve) with sessions that fill every field the
/// seed APIs show: places with coordinates, a client id, an impersonator, an organization, a host, a name.
/// User ids are numbers, as Symphony's are.
/// </summary>
internal sealed class SeedUser
{
    private SeedUser(OwnClockApiFactory factory, string userId)
    {
        Factory = factory;
        UserId = userId;
        Admin = factory.CreateClient();
    }

    public OwnClockApiFactory Factory { get; }

    public HttpClient Admin { get; }

    public string Tenant => TestKeys.Tenant;

    public string UserId { get; }

    public string UserName => "user" + UserId;

    /// <summary>The sessions as the canonical API answered their sign-ons, oldest first.</summary>
    public List<JsonElement> Sessions { get; } = [];

    public List<string> Tokens { get; } = [];

    public static async Task<SeedUser> CreateAsync(OwnClockApiFactory factory, int sessions = 3)
    {
        var user = new SeedUser(factory, Random.Shared.NextInt64(1_000_000_000, 9_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < sessions; i++)
        {
            factory.Clock.Advance(TimeSpan.FromSeconds(1));
            using var response = await user.Admin.PostAsJsonAsync($"/v1/tenants/{user.Tenant}/users/{user.UserId}/sessions", new
            {
                ip = $"198.51.100.{10 + i}",
                userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                authMethod = "sso",
                clientId = "client-" + i,
                host = "app.example.com",
                organizationId = "org_01H945H0YD4F97JN9MATX7BYAG",
                populationId = TestKeys.Population,
                impersonator = new { email = "admin@example.com", reason = "support ticket 42" },
                userName = user.UserName,
                displayName = "User " + user.UserId,
                location = new { city = "Tacoma", region = "Washington", country = "United States", countryCode = "US", latitude = 47.2529, longitude = -122.4443 },
            }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.Clone();
            user.Sessions.Add(body.GetProperty("session"));
            user.Tokens.Add(body.GetProperty("token").GetString()!);
        }

        await user.WaitForDirectoryAsync(sessions);
        return user;
    }

    public string SessionId(int index) => Sessions[index].GetProperty("id").GetString()!;

    /// <summary>A client that sends the bootstrap key the way a surface takes it.</summary>
    public HttpClient Client(Action<HttpRequestHeaders> credential)
    {
        var client = Factory.CreateAnonymousClient();
        credential(client.DefaultRequestHeaders);
        return client;
    }

    /// <summary>Waits until list-all (the directory) shows <paramref name="expected"/> sessions of this user.</summary>
    public Task WaitForDirectoryAsync(int expected) => WaitForAsync(
        $"the directory to show {expected} sessions of user {UserId}",
        async () => (await DirectoryListAsync()).GetProperty("total").GetInt32() == expected,
        TimeSpan.FromSeconds(10));

    /// <summary>This user's sessions as list-all (the directory) shows them.</summary>
    public async Task<JsonElement> DirectoryListAsync() =>
        JsonDocument.Parse(await Admin.GetStringAsync($"/v1/tenants/{Tenant}/sessions?userId={UserId}", TestContext.Current.CancellationToken)).RootElement;

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(HttpClient client, string path) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Get, path));

    public static Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string path, object? body) =>
        SendAsync(client, new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) });
}
