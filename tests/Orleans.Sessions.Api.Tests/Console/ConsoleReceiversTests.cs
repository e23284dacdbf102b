using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Orleans.Sessions.Api.Tests.Webhooks;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Console;

/// <summary>
/// The administration pages for what surrounds the sessions (docs/console.md, "Receivers", "Policy"): webhook
/// endpoints and back-channel logout clients with their delivery logs after real deliveries to a receiver on loopback,
/// and the tenant policy saved through its ETag — a stale form refused — checked through the API.
/// </summary>
public sealed class ConsoleReceiversTests(WebhookApiFactory factory, Browser browser) : IClassFixture<WebhookApiFactory>, IClassFixture<Browser>
{
    private string Base => factory.Services is not null ? $"http://localhost:{factory.Port}" : "";

    [Fact]
    public async Task Receivers_are_listed_with_their_delivery_logs()
    {
        using var receiver = new NoContentReceiver();
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ApiClient(factory.CreateClient(), tenant);
        var (hooked, hook) = await api.PostAsync($"/v1/tenants/{tenant}/webhooks", new { url = receiver.Url + "hooks", eventTypes = new[] { "session.revoked" }, description = "siem" });
        Assert.Equal(HttpStatusCode.Created, hooked);
        var (registered, _) = await api.PostAsync($"/v1/tenants/{tenant}/clients", new { clientId = "crm", backchannelLogoutUri = receiver.Url + "logout" });
        Assert.Equal(HttpStatusCode.Created, registered);
        var (_, signOn) = await api.PostAsync(api.Sessions, new { ip = "81.2.69.142", userAgent = ConsoleMeTests.Windows, authMethod = "password", clientId = "crm" });
        var session = signOn.GetProperty("session").Str("id");
        await api.PostAsync($"{api.Sessions}/{session}/revoke", new { reason = "test" });
        var webhookId = hook.Str("id");
        await Waiting.WaitForAsync("the webhook's delivery and the logout token", async () =>
            (await api.GetAsync($"/v1/tenants/{tenant}/webhooks/{webhookId}/deliveries")).Body.GetProperty("items").GetArrayLength() > 0
            && (await api.GetAsync($"/v1/tenants/{tenant}/clients/crm/deliveries")).Body.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(30));

        await using var visit = await browser.OpenAsync();
        await ConsoleAdminTests.SignInAsync(visit, Base, TestKeys.ConsoleOperator);
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/receivers");
        Assert.Contains(receiver.Url + "hooks", await visit.Page.Locator($"tr[data-receiver='{webhookId}']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(receiver.Url + "logout", await visit.Page.Locator("tr[data-receiver='crm']").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("None.", await visit.Page.Locator("section[aria-labelledby=streams] p").InnerTextAsync());
        await visit.AssertCleanAsync("the receivers");

        await visit.Page.GetByRole(AriaRole.Link, new() { Name = webhookId }).ClickAsync();
        await visit.Page.WaitForURLAsync(url => url.EndsWith($"/receivers/webhooks/{webhookId}", StringComparison.Ordinal));
        var delivered = visit.Page.Locator("tr[data-outcome='delivered']");
        Assert.Equal(1, await delivered.CountAsync());
        Assert.Contains("session.revoked", await delivered.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("204", await delivered.InnerTextAsync(), StringComparison.Ordinal);
        await visit.AssertCleanAsync("a webhook's log");

        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/receivers/clients/crm");
        Assert.Equal("Back-channel logout client crm", await visit.Page.Locator("h1").InnerTextAsync());
        Assert.Equal(1, await visit.Page.Locator("tr[data-outcome='delivered']").CountAsync());
        var missing = await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/receivers/streams/nope");
        Assert.Equal(404, missing!.Status);
    }

    [Fact]
    public async Task The_policy_is_saved_through_its_ETag_and_a_stale_form_changes_nothing()
    {
        var tenant = "console-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ApiClient(factory.CreateClient(), tenant);
        await using var visit = await browser.OpenAsync();
        await ConsoleAdminTests.SignInAsync(visit, Base, TestKeys.ConsoleOperator);
        await visit.Page.GotoAsync($"{Base}/console/admin/tenants/{tenant}/policy");
        Assert.Equal("\"0\"", await visit.Page.Locator("dd code").First.InnerTextAsync());
        await visit.AssertCleanAsync("the policy");

        // Not JSON: 400, nothing saved.
        await visit.Page.GetByLabel("The policy, as PUT …/policy takes it").FillAsync("{ maxSessionsPerUser: ");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await visit.Page.Locator("#policy-errors").WaitForAsync();
        Assert.Contains("This is not a policy in JSON", await visit.Page.Locator("#policy-errors").InnerTextAsync(), StringComparison.Ordinal);
        await visit.AssertCleanAsync("a policy that is not JSON", documentStatus: 400);

        await visit.Page.GetByLabel("The policy, as PUT …/policy takes it").FillAsync("""{ "maxSessionsPerUser": 5, "idleTimeout": 1800 }""");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await visit.Page.Locator("[role=status], #policy-errors").First.WaitForAsync();
        Assert.True(await visit.Page.Locator("#policy-errors").CountAsync() == 0, await visit.Page.Locator("main").InnerTextAsync());
        Assert.Equal(($"{Base}/console/admin/tenants/{tenant}/policy?saved=1", "The policy is saved."), (visit.Page.Url, await visit.Page.GetByRole(AriaRole.Status).InnerTextAsync()));
        var (_, saved) = await api.GetAsync($"/v1/tenants/{tenant}/policy");
        Assert.Equal((5, 1800L, 1L, "k-console"), (saved.GetProperty("maxSessionsPerUser").GetInt32(), saved.GetProperty("idleTimeout").GetInt64(), saved.GetProperty("version").GetInt64(), saved.Str("updatedBy")));

        // Someone changes it through the API while the page is open: the page's save is refused, theirs stays.
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/tenants/{tenant}/policy") { Content = JsonContent.Create(new { maxSessionsPerUser = 7 }) })
        {
            put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            using var changed = await api.Http.SendAsync(put, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        }

        await visit.Page.GetByLabel("The policy, as PUT …/policy takes it").FillAsync("""{ "maxSessionsPerUser": 3 }""");
        await visit.Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await visit.Page.Locator("#policy-errors").WaitForAsync();
        Assert.Contains("Someone changed the policy since it was read", await visit.Page.Locator("#policy-errors").InnerTextAsync(), StringComparison.Ordinal);
        await visit.AssertCleanAsync("a stale policy form", documentStatus: 412);
        var (_, kept) = await api.GetAsync($"/v1/tenants/{tenant}/policy");
        Assert.Equal((7, 2L), (kept.GetProperty("maxSessionsPerUser").GetInt32(), kept.GetProperty("version").GetInt64()));

        var changes = await AuditReader.ReadAllAsync(api.Http, tenant, "kind=admin");
        Assert.Equal(["PutTenantPolicy", "PutTenantPolicy"], changes.Select(c => c.Str("operation")));
        Assert.Equal(["bootstrap", "k-console"], changes.Select(c => c.Str("actor")));
    }

    /// <summary>A receiver on loopback that answers every request 204 (what the delivery logs record).</summary>
    private sealed class NoContentReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();

        public NoContentReceiver()
        {
            Url = $"http://127.0.0.1:{FreePorts.Next()}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = AnswerAsync();
        }

        public string Url { get; }

        public void Dispose() => _listener.Close();

        private async Task AnswerAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        }
    }
}
