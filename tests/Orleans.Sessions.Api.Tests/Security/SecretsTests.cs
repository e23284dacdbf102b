using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Buffers.Text;

namespace Orleans.Sessions.Api.Tests.Security;

/// <summary>Secrets and tokens never show up in logs, nor in any answer after the sign-on that issued the token.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecretsTests(SessionsApiFactory factory)
{
    [Fact]
    public async Task Secrets_and_tokens_appear_in_no_log_line_and_no_later_response()
    {
        var admin = new ApiClient(factory.CreateClient());
        var tenantPath = $"/v1/tenants/{TestKeys.Tenant}/users/{admin.UserId}/sessions";
        var (status, signOn) = await admin.PostAsync(tenantPath, ApiClient.SignOnBody());
        Assert.Equal(HttpStatusCode.Created, status);
        var token = signOn.Str("token");
        var sessionId = signOn.GetProperty("session").Str("id");
        var tokenSecret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var tokenHash = Convert.ToHexStringLower(SHA256.HashData(Base64Url.DecodeFromChars(tokenSecret)));

        // Use every credential, right and wrong, on every kind of route, including refused and malformed requests.
        var responses = new List<string>();
        async Task SendAsync(string method, string path, string credential, object? body = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
            using var response = await factory.CreateAnonymousClient().SendAsync(request, TestContext.Current.CancellationToken);
            responses.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken) + response.Headers);
        }

        foreach (var credential in new[] { SessionsApiFactory.BootstrapKey, TestKeys.Read.Secret, TestKeys.ReadAll.Secret, token })
        {
            await SendAsync("GET", tenantPath, credential);
            await SendAsync("GET", $"{tenantPath}/{sessionId}", credential);
            await SendAsync("GET", $"/v1/tenants/{TestKeys.Tenant}/sessions?userId={admin.UserId}", credential);
            await SendAsync("GET", "/v1/me/sessions", credential);
            await SendAsync("GET", tenantPath, credential + "x");
            await SendAsync("GET", "/v1/me/sessions", credential[..^1]);
            await SendAsync("POST", $"{tenantPath}/{sessionId}/activity", credential, new { ip = "not an ip" });
        }

        await SendAsync("POST", $"{tenantPath}/{sessionId}/revoke", TestKeys.Revoke.Secret, new { reason = "secrets test" });
        await SendAsync("GET", "/v1/me/sessions", token);

        // The operations endpoints: the dashboard's sign-in (whose cookie carries the key by design, so its answer is not
        // checked) and its data with every kind of key, the probes and the scrape.
        foreach (var key in new[] { TestKeys.Admin.Secret, TestKeys.Read.Secret, "not-a-key" })
        {
            using var form = new FormUrlEncodedContent([new("key", key)]);
            using (await factory.CreateAnonymousClient().PostAsync("/dashboard/login", form, TestContext.Current.CancellationToken))
            {
            }

            await SendAsync("GET", "/dashboard/DashboardCounters", key);
        }

        foreach (var path in new[] { "/health/ready", "/metrics" })
        {
            await SendAsync("GET", path, TestKeys.Admin.Secret);
        }

        string[] secrets = [SessionsApiFactory.BootstrapKey, .. TestKeys.All.Select(k => k.Secret), token, tokenSecret, tokenHash];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(factory.Logs.Lines, l => l.Line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(responses, r => r.Contains(secret, StringComparison.Ordinal));
        }

        // The logs did see these requests: the audit line of the revoke names the key, not its secret.
        Assert.Contains(factory.Logs.Lines, l => l.Category == "Orleans.Sessions.Audit"
            && l.Line.Contains($"by={TestKeys.Revoke.Name}", StringComparison.Ordinal) && l.Line.Contains(sessionId, StringComparison.Ordinal));
    }
}
