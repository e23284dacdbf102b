using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Cluster.Tests;

/// <summary>
/// The silo executable as operators run it (Production): API keys from environment variables in the shape of
/// docs/security.md ("API keys"), and the refusal to start with no credential at all.
/// </summary>
public sealed class SiloCredentialsTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Keys_configured_by_environment_variables_authorize_by_role_and_tenant()
    {
        var ct = TestContext.Current.CancellationToken;
        const string writer = "env-writer-secret-0123456789", reader = "env-reader-secret-0123456789";
        var environment = new Dictionary<string, string>
        {
            ["Sessions__Auth__Keys__0__Name"] = "idp-backend",
            ["Sessions__Auth__Keys__0__Tenant"] = "acme",
            ["Sessions__Auth__Keys__0__SecretHash"] = HashOf(writer),
            ["Sessions__Auth__Keys__0__Roles__0"] = "sessions:write",
            ["Sessions__Auth__Keys__1__Name"] = "helpdesk",
            ["Sessions__Auth__Keys__1__Tenant"] = "*",
            ["Sessions__Auth__Keys__1__SecretHash"] = HashOf(reader),
            ["Sessions__Auth__Keys__1__Roles__0"] = "sessions:read",
        };
        await using var silo = await HostProcess.StartSiloAsync(Settings(), "Production", ct, environment, withBootstrapKey: false);
        using var client = new HttpClient { BaseAddress = silo.BaseAddress };
        var path = "/v1/tenants/acme/users/alice/sessions";
        var body = new { ip = "203.0.113.1", userAgent = "curl/8.5.0", authMethod = "password" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync(path, body, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Post, path, writer, body, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Post, "/v1/tenants/globex/users/alice/sessions", writer, body, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(client, HttpMethod.Get, path, writer, null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, path, reader, null, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, path, HostProcess.BootstrapKey, null, ct)).StatusCode);
        Assert.DoesNotContain(writer, silo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(reader, silo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_any_credential_the_silo_refuses_to_start_and_says_what_to_set()
    {
        var ct = TestContext.Current.CancellationToken;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartSiloAsync(Settings(), "Production", ct, withBootstrapKey: false));

        Assert.Contains("exited", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sessions:Auth:BootstrapKey", error.Message, StringComparison.Ordinal);
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Sessions:DataDirectory"] = _data.Path,
        ["Orleans:ClusterId"] = "credentials-" + Guid.NewGuid().ToString("N")[..8],
    };

    private static string HashOf(string secret) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string secret, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return await client.SendAsync(request, ct);
    }
}
