using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Sessions.Testing;

/// <summary>
/// A Shared Signals poll receiver (RFC 8936) as a real one runs: it long-polls a stream's endpoint, acknowledges in each
/// poll what the previous answer carried, and keeps asking through failures — resending acknowledgements whose poll got
/// no answer. It records every SET by jti, and every SET answered again after a poll that acknowledged it was answered.
/// </summary>
public sealed class SsfPoller : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly string _url;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private readonly Task _loop;

    private SsfPoller(HttpClient client, string url)
    {
        (_client, _url) = (client, url);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Every SET received, by jti (the first time it came).</summary>
    public ConcurrentDictionary<string, string> Sets { get; } = new(StringComparer.Ordinal);

    /// <summary>SETs answered again after an answered poll had acknowledged them: must stay empty.</summary>
    public ConcurrentBag<string> Repeated { get; } = [];

    /// <summary>Polls that failed (no answer, or not 200), and the last failure.</summary>
    public int Failures { get; private set; }

    public string? LastFailure { get; private set; }

    /// <param name="client">Authorized as the stream's receiver; its timeout longer than the long-poll timeout.</param>
    /// <param name="url">The stream's <c>delivery.endpoint_url</c>.</param>
    public static SsfPoller Start(HttpClient client, string url) => new(client, url);

    private async Task LoopAsync()
    {
        List<string> pending = [];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _client.PostAsJsonAsync(_url, new { ack = pending, maxEvents = 50 }, _stop.Token);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    (Failures, LastFailure) = (Failures + 1, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(_stop.Token)}");
                    continue;
                }

                var answer = await response.Content.ReadFromJsonAsync<JsonElement>(_stop.Token);
                _acknowledged.UnionWith(pending);
                pending = [];
                foreach (var set in answer.GetProperty("sets").EnumerateObject())
                {
                    if (_acknowledged.Contains(set.Name))
                    {
                        Repeated.Add(set.Name);
                    }

                    Sets.TryAdd(set.Name, set.Value.GetString()!);
                    pending.Add(set.Name);
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or JsonException || (e is OperationCanceledException && !_stop.IsCancellationRequested))
            {
                (Failures, LastFailure) = (Failures + 1, e.GetType().Name + ": " + e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
