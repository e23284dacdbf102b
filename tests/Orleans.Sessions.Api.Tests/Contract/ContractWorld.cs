using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Contract;

/// <summary>A session the contract test made: its id and its end-user token.</summary>
public sealed record KnownSession(string UserId, string Id, string Token);

/// <summary>
/// What the contract test knows exists on the service — its users, the sessions it signed on and the webhooks it
/// made — so that generated requests name real things as often as made-up ones; and what the service holds, read
/// directly (not through the proxy) to compare before and after a refused request.
/// </summary>
public sealed class ContractWorld(HttpClient direct)
{
    public const string Tenant = TestKeys.Tenant;
    public const string OtherTenant = TestKeys.OtherTenant;

    /// <summary>User ids in the spellings the seed APIs use: numbers (Symphony), a UUID (PingOne), a name.</summary>
    public static IReadOnlyList<string> Users { get; } = ["1001", "1002", "3f2c8a4e-9b1d-4c6e-8f0a-2d7b5e9c1a34", "ada.lovelace"];

    public List<KnownSession> Sessions { get; } = [];

    public List<string> Webhooks { get; } = [];

    public List<string> Streams { get; } = [];

    /// <summary>Revoke-by-query jobs, made directly: generated requests never hold a dry run's confirmation, so they start none.</summary>
    public List<string> Jobs { get; } = [];

    /// <summary>Puts configuration's policy back, signs on two sessions for every user of both tenants and registers a webhook endpoint, so that there is always something to act on.</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var tenant in new[] { Tenant, OtherTenant })
        {
            // A generated policy may refuse sign-ons beyond one active session, or keep one session per user: back to configuration's.
            using (var policy = await direct.PutAsJsonAsync($"/v1/tenants/{tenant}/policy", new { }, cancellationToken))
            {
                policy.EnsureSuccessStatusCode();
            }

            foreach (var user in Users)
            {
                for (var i = 0; i < 2; i++)
                {
                    using var response = await direct.PostAsJsonAsync(
                        $"/v1/tenants/{tenant}/users/{Uri.EscapeDataString(user)}/sessions",
                        new { ip = "81.2.69.160", userAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", authMethod = "password", clientId = "app-1" },
                        cancellationToken);
                    response.EnsureSuccessStatusCode();
                    Learn(tenant, user, JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement);
                }
            }
        }

        // And an endpoint and a back-channel logout client to act on: their deliveries are refused at once (port 9 on
        // loopback, allowed on the test host). The client is the one the sessions used, so endings bring logouts.
        using var webhook = await direct.PostAsJsonAsync($"/v1/tenants/{Tenant}/webhooks", new { url = "http://127.0.0.1:9/hook" }, cancellationToken);
        if (webhook.IsSuccessStatusCode)
        {
            Webhooks.Add(JsonDocument.Parse(await webhook.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetString()!);
        }

        using var client = await direct.PostAsJsonAsync($"/v1/tenants/{Tenant}/clients", new { clientId = "app-1", backchannelLogoutUri = "http://127.0.0.1:9/logout" }, cancellationToken);
        if (client.StatusCode != System.Net.HttpStatusCode.Conflict) // Seeded again when CsCheck shrinks: registered by then.
        {
            client.EnsureSuccessStatusCode();
        }

        if (Jobs.Count == 0)
        {
            await SeedJobAsync(cancellationToken);
        }

        // And Shared Signals streams of the admin caller's (the bootstrap key's): one pushing nowhere reachable, one polled.
        foreach (var delivery in new object[] { new { method = "urn:ietf:rfc:8935", endpoint_url = "http://127.0.0.1:9/ssf" }, new { method = "urn:ietf:rfc:8936" } })
        {
            using var stream = await direct.PostAsJsonAsync($"/v1/tenants/{Tenant}/ssf/streams", new { delivery }, cancellationToken);
            if (stream.StatusCode == System.Net.HttpStatusCode.Conflict) // Seeded again after requests made as many as a tenant may have.
            {
                var existing = await direct.GetFromJsonAsync<JsonElement>($"/v1/tenants/{Tenant}/ssf/streams", cancellationToken);
                Streams.AddRange(existing.EnumerateArray().Select(s => s.GetProperty("stream_id").GetString()!));
            }
            else
            {
                stream.EnsureSuccessStatusCode();
                Streams.Add(JsonDocument.Parse(await stream.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("stream_id").GetString()!);
            }
        }
    }

    /// <summary>A job of a filter that matches nothing (it completes at once, ending nothing), to read and cancel.</summary>
    private async Task SeedJobAsync(CancellationToken cancellationToken)
    {
        const string path = $"/v1/tenants/{Tenant}/sessions/revoke?userId=no-such-user";
        using var dry = await direct.PostAsJsonAsync(path, new { reason = "contract test", dryRun = true }, cancellationToken);
        dry.EnsureSuccessStatusCode();
        var confirmation = JsonDocument.Parse(await dry.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("confirmation").GetString();
        using var run = await direct.PostAsJsonAsync(path, new { reason = "contract test", confirmation }, cancellationToken);
        run.EnsureSuccessStatusCode();
        Jobs.Add(JsonDocument.Parse(await run.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("id").GetString()!);
    }

    /// <summary>Remembers a session a sign-on answered (canonical shape), in the main tenant only.</summary>
    public void Learn(string tenant, string user, JsonElement signOn)
    {
        if (tenant == Tenant && signOn.TryGetProperty("session", out var session) && signOn.TryGetProperty("token", out var token))
        {
            Sessions.Add(new KnownSession(user, session.GetProperty("id").GetString()!, token.GetString()!));
        }
    }

    /// <summary>The sessions of every user of both tenants, and the webhooks, back-channel logout clients, streams and policy of both, as the canonical API answers them.</summary>
    public async Task<string> SnapshotAsync(CancellationToken cancellationToken)
    {
        var parts = new List<string>();
        foreach (var tenant in new[] { Tenant, OtherTenant })
        {
            foreach (var user in Users)
            {
                parts.Add(await direct.GetStringAsync($"/v1/tenants/{tenant}/users/{Uri.EscapeDataString(user)}/sessions?limit=100", cancellationToken));
            }

            parts.Add(await direct.GetStringAsync($"/v1/tenants/{tenant}/webhooks", cancellationToken));
            parts.Add(await direct.GetStringAsync($"/v1/tenants/{tenant}/clients", cancellationToken));
            parts.Add(await direct.GetStringAsync($"/v1/tenants/{tenant}/ssf/streams", cancellationToken));
            parts.Add(await direct.GetStringAsync($"/v1/tenants/{tenant}/policy", cancellationToken));
        }

        return string.Join('\n', parts);
    }
}
