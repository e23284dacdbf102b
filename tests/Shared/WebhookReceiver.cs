using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>
/// tests/clients/webhook-receiver.mjs in a process of its own: a receiver that verifies signatures with the Standard
/// Webhooks reference implementation and says what it got, one JSON line each. It refuses deliveries (500) while
/// <see cref="Failing"/> is on (or those of <see cref="FailingUser"/>), and answers each after <c>delayMs</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly NodeServer _node;
    private readonly string _failFile;
    private readonly string _secretFile;

    private WebhookReceiver(NodeServer node, string failFile, string secretFile) => (_node, _failFile, _secretFile) = (node, failFile, secretFile);

    public string Url => _node.BaseUrl + "/hooks";

    public IEnumerable<JsonElement> Lines => _node.Lines;

    /// <summary>Every verified delivery, in arrival order.</summary>
    public List<JsonElement> Received => _node.Of("received");

    /// <summary>Refuses every delivery while on.</summary>
    public bool Failing
    {
        get => File.Exists(_failFile);
        set => FailingUser = value ? "*" : null;
    }

    /// <summary>Refuses the deliveries of this user's events while set.</summary>
    public string? FailingUser
    {
        set
        {
            if (value is not null)
            {
                // Written aside and renamed over: the receiver never reads a half-written file.
                File.WriteAllText(_failFile + ".new", value);
                File.Move(_failFile + ".new", _failFile, overwrite: true);
            }
            else
            {
                File.Delete(_failFile);
            }
        }
    }

    /// <summary>The secret the receiver verifies with (it reads it on each request).</summary>
    public string Secret
    {
        set => File.WriteAllText(_secretFile, value);
    }

    public static async Task<WebhookReceiver> StartAsync(bool failing = false, int delayMs = 0)
    {
        var failFile = Path.Combine(Path.GetTempPath(), "webhook-fail-" + Guid.NewGuid().ToString("N"));
        var secretFile = Path.Combine(Path.GetTempPath(), "webhook-secret-" + Guid.NewGuid().ToString("N"));
        if (failing)
        {
            File.WriteAllText(failFile, "*");
        }

        var node = await NodeServer.StartAsync("webhook-receiver.mjs", "standardwebhooks", new Dictionary<string, string>
        {
            ["FAIL_WHILE"] = failFile,
            ["SECRET_FILE"] = secretFile,
            ["DELAY_MS"] = delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        return new WebhookReceiver(node, failFile, secretFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        File.Delete(_failFile);
        File.Delete(_secretFile);
    }
}
