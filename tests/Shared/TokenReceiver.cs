using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>
/// tests/clients/token-receiver.mjs in a process of its own: verifies the tokens the service signs with the <c>jose</c>
/// package against the JWKS it fetches from the service — back-channel logout tokens posted to
/// <see cref="BackchannelUrl"/>, Security Event Tokens pushed to <see cref="SsfUrl"/>, and any token on request (<see cref="VerifyAsync"/>). It refuses logout tokens (503)
/// while <see cref="Failing"/> is on.
/// </summary>
public sealed class TokenReceiver : IAsyncDisposable
{
    private static readonly HttpClient Http = new();
    private readonly NodeServer _node;
    private readonly string _failFile;

    private TokenReceiver(NodeServer node, string failFile) => (_node, _failFile) = (node, failFile);

    public IEnumerable<JsonElement> Lines => _node.Lines;

    /// <summary>Every logout token that verified, in arrival order.</summary>
    public List<JsonElement> Logouts => _node.Of("logout");

    /// <summary>Every pushed Security Event Token that verified, in arrival order.</summary>
    public List<JsonElement> Sets => _node.Of("set");

    /// <summary>Every token that did not.</summary>
    public List<JsonElement> Invalid => _node.Of("invalid");

    public bool Failing
    {
        get => File.Exists(_failFile);
        set
        {
            if (value)
            {
                File.WriteAllText(_failFile, "*");
            }
            else
            {
                File.Delete(_failFile);
            }
        }
    }

    /// <summary>Where client <paramref name="clientId"/> receives its logout tokens (verified with it as the audience).</summary>
    public string BackchannelUrl(string clientId) => $"{_node.BaseUrl}/backchannel/{Uri.EscapeDataString(clientId)}";

    /// <summary>Where a Shared Signals stream whose SETs are for <paramref name="audience"/> pushes them.</summary>
    public string SsfUrl(string audience) => $"{_node.BaseUrl}/ssf/{Uri.EscapeDataString(audience)}";

    /// <param name="jwksUri">The JWKS the receiver fetches over HTTP.</param>
    /// <param name="issuer">The <c>iss</c> every token must carry.</param>
    public static async Task<TokenReceiver> StartAsync(string jwksUri, string issuer)
    {
        var failFile = Path.Combine(Path.GetTempPath(), "token-fail-" + Guid.NewGuid().ToString("N"));
        var node = await NodeServer.StartAsync("token-receiver.mjs", "jose", new Dictionary<string, string>
        {
            ["JWKS_URI"] = jwksUri,
            ["ISSUER"] = issuer,
            ["FAIL_WHILE"] = failFile,
        });
        return new TokenReceiver(node, failFile);
    }

    /// <summary>Whether <paramref name="token"/> verifies now, against the JWKS as the service publishes it now.</summary>
    public async Task<(bool Valid, JsonElement Answer)> VerifyAsync(string token, string audience, string type)
    {
        using var response = await Http.PostAsJsonAsync(_node.BaseUrl + "/verify", new { token, audience, typ = type }, TestContext.Current.CancellationToken);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (answer.GetProperty("valid").GetBoolean(), answer);
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        File.Delete(_failFile);
    }
}
