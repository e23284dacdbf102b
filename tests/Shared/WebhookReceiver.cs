using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>
/// tests/clients/webhook-receiver.mjs in a process of its own: a receiver that verifies signatures with the Standard
/// Webhooks reference implementation and says what it got, one JSON line each. It refuses deliveries (500) while
/// <see cref="Failing"/> is on (or those of <see cref="FailingUser"/>), and answers each after <c>delayMs</c>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly string _failFile;
    private readonly string _secretFile;

    private WebhookReceiver(Process process, string failFile, string secretFile) => (_process, _failFile, _secretFile) = (process, failFile, secretFile);

    public string Url { get; private set; } = "";

    public IEnumerable<JsonElement> Lines => _lines;

    /// <summary>Every verified delivery, in arrival order.</summary>
    public List<JsonElement> Received => [.. _lines.Where(l => l.GetProperty("kind").GetString() == "received")];

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
        if (!File.Exists(Path.Combine(NodeScripts.Directory, "node_modules", "standardwebhooks", "package.json")))
        {
            Assert.Fail($"standardwebhooks is not installed in {NodeScripts.Directory}: run `npm ci` there (scripts/test.sh and .ci/run do it).");
        }

        var failFile = Path.Combine(Path.GetTempPath(), "webhook-fail-" + Guid.NewGuid().ToString("N"));
        var secretFile = Path.Combine(Path.GetTempPath(), "webhook-secret-" + Guid.NewGuid().ToString("N"));
        if (failing)
        {
            File.WriteAllText(failFile, "*");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = NodeScripts.Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("webhook-receiver.mjs");
        start.Environment["FAIL_WHILE"] = failFile;
        start.Environment["SECRET_FILE"] = secretFile;
        start.Environment["DELAY_MS"] = delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var receiver = new WebhookReceiver(Process.Start(start) ?? throw new InvalidOperationException("node did not start."), failFile, secretFile);
        receiver._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                receiver._lines.Enqueue(JsonDocument.Parse(line).RootElement.Clone());
            }
        };
        receiver._process.BeginOutputReadLine();
        receiver._process.BeginErrorReadLine();
        await WaitForAsync("the webhook receiver to listen", () => receiver._lines.Any(l => l.GetProperty("kind").GetString() == "listening"), TimeSpan.FromSeconds(20));
        var port = receiver._lines.First(l => l.GetProperty("kind").GetString() == "listening").GetProperty("port").GetInt32();
        receiver.Url = $"http://127.0.0.1:{port}/hooks";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_failFile);
        File.Delete(_secretFile);
    }
}
