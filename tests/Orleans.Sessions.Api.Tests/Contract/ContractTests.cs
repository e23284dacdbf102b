using System.Net.Http.Headers;
using System.Text.Json;
using CsCheck;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Contract;

/// <summary>
/// The OpenAPI document is the contract (docs/api.md, "The OpenAPI document"): requests generated from it — valid ones,
/// hostile values and mutated bodies, from every kind of caller — go through a validating proxy that is not the
/// service's own (Stoplight Prism), and every answer must be one the document describes (status, content type, body
/// schema), none a 5xx, and a refused request must leave the service as it was.
/// </summary>
public sealed class ContractTests(ContractApiFactory factory) : IClassFixture<ContractApiFactory>
{
    /// <summary>How many generated requests a run sends (about 125 per operation).</summary>
    private const int Requests = 4_500;

    /// <summary>How many more an operation gets when none of its requests succeeded.</summary>
    private const int TopUp = 400;

    [Fact]
    public async Task Every_answer_to_generated_requests_is_one_the_document_describes_and_a_refusal_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var direct = factory.CreateClient();
        var text = await direct.GetStringAsync("/openapi/v1.json", ct);
        var contract = new OpenApiContract(JsonDocument.Parse(text).RootElement);
        using var directory = new TempDirectory();
        var documentPath = Path.Combine(directory.Path, "openapi.json");
        await File.WriteAllTextAsync(documentPath, text, ct);
        await using var proxy = await ValidatingProxy.StartAsync(documentPath, direct.BaseAddress!);
        using var viaProxy = new HttpClient { BaseAddress = proxy.Address, Timeout = TimeSpan.FromSeconds(30) };

        var world = new ContractWorld(direct);
        await world.SeedAsync(ct);
        var findings = new List<(string Kind, string Example)>();
        var allowedButRefused = new List<(ContractOperation Operation, string Example)>();
        var answered = contract.Operations.ToDictionary(o => o, _ => new SortedDictionary<int, int>());
        var sent = 0;

        var requests = new ContractRequests(contract);
        async Task SendAsync(Func<ContractWorld, ContractRequest> make)
        {
            if (++sent % 100 == 0)
            {
                await world.SeedAsync(ct);
            }

            var request = make(world);
            var before = request.Operation.Changes ? await world.SnapshotAsync(ct) : null;

            // Prism does not answer a request whose JSON body it cannot parse: those go to the service directly.
            using var message = request.ToMessage();
            Authorize(message, request, world);
            using var response = await (request.Body.WellFormed ? viaProxy : direct).SendAsync(message, ct);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(ct);
            answered[request.Operation][status] = answered[request.Operation].GetValueOrDefault(status) + 1;

            foreach (var finding in Check(request, response, body))
            {
                findings.Add(($"{request.Operation} → {status}: {finding}", $"{request}\n    → {status} {response.Content.Headers.ContentType}: {(body.Length > 300 ? body[..300] : body)}"));
            }

            // A request the document allows must not be refused as invalid, unless for a rule it states in words only.
            if (request.Body.WellFormed && status is 400 or 422 && !Violations(response).Any(v => v.Location == "request")
                && !HasEmptyQueryValue(request) && !RefusedForRulesInWordsOnly(body))
            {
                allowedButRefused.Add((request.Operation, $"{request}\n      → {status}: {(body.Length > 400 ? body[..400] : body)}"));
            }

            if (before is not null && status >= 400 && await world.SnapshotAsync(ct) != before)
            {
                findings.Add(($"{request.Operation} → {status}: the refusal changed what the service holds", request.ToString()));
            }

            Learn(world, request, status, body);
        }

        await requests.Any().SampleAsync(SendAsync, iter: Requests, threads: 1);

        // An operation whose requests all happened to be refused gets more of its own, so that its success is checked too.
        foreach (var operation in contract.Operations.Where(o => !Succeeded(answered[o])))
        {
            await requests.For(operation).SampleAsync(SendAsync, iter: TopUp, threads: 1);
        }

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{sent} generated requests to {contract.Operations.Count} operations; {findings.Count} findings.");
        output?.WriteLine($"{allowedButRefused.Count} requests the document allows were refused as invalid (400/422):");
        foreach (var group in allowedButRefused.GroupBy(r => r.Operation).OrderByDescending(g => g.Count()))
        {
            output?.WriteLine($"  {group.Count()}× {group.Key}, e.g. {group.First().Example}");
        }
        foreach (var (operation, statuses) in answered)
        {
            output?.WriteLine($"{operation,-80} {string.Join(' ', statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        }

        Assert.True(allowedButRefused.Count == 0, $"{allowedButRefused.Count} requests the document allows were refused as invalid:\n"
            + string.Join("\n", allowedButRefused.GroupBy(r => r.Operation).Select(g => $"{g.Count()}× {g.Key}, e.g. {g.First().Example}")));
        Assert.True(findings.Count == 0, $"{findings.Count} answers do not match the document:\n" + string.Join("\n", findings.GroupBy(f => f.Kind).Select(g => $"{g.Count()}× {g.Key}\n    e.g. {g.First().Example}")));
        Assert.True(sent >= Requests, $"{sent} requests sent");
        var neverServed = answered.Where(a => !Succeeded(a.Value)).Select(a => a.Key.ToString()).ToList();
        Assert.True(neverServed.Count == 0, $"No generated request to these operations succeeded, so their answers went unchecked: {string.Join(", ", neverServed)}");
    }

    /// <summary>
    /// The rules the document states in its descriptions because no schema can: a cursor or feed position must be one the
    /// service handed out (its syntax is in the schema, what it points at is not), list-all takes a cursor or an offset but
    /// not both, and a redelivery's <c>until</c> comes after its <c>from</c>. A refusal for these, and these only, is one
    /// the document describes.
    /// </summary>
    private static readonly string[] RulesInWordsOnly =
    [
        "is not a cursor of this list and sort",
        "'cursor' is not a cursor of this list:", // The audit history's.
        "is not a position of this feed",
        "'until' must be after 'from'",
        "Use either 'cursor' or 'offset', not both.",
        "The pattern is not a valid regular expression", // The .NET dialect; format: regex is ECMAScript's.
        "A stream keeps the delivery method it was created with",
        "Metadata has at most", // 4096 bytes as compact JSON: no schema counts bytes.
        "appears more than once in 'clients'", // A policy names each client once: uniqueItems compares whole entries.
        "is above Sessions:MaxSessionsPerUser", // The configured maximum, which the document cannot know.
        "make a dry run of these filters", // A revoke by query's confirmation: one a dry run answered, required unless dryRun.
    ];

    private static bool RefusedForRulesInWordsOnly(string body)
    {
        // The canonical shape names each broken field in 'errors' (an object of lists of messages): each must be one of those.
        var messages = body.StartsWith('{') && JsonDocument.Parse(body).RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object
            ? errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Select(m => m.GetString() ?? "").ToList()
            : [body];
        return messages.All(m => RulesInWordsOnly.Any(rule => m.Contains(rule, StringComparison.Ordinal)));
    }

    /// <summary>A query parameter given with no value, which OpenAPI does not allow (<c>allowEmptyValue</c> is false) and Prism lets through.</summary>
    private static bool HasEmptyQueryValue(ContractRequest request) =>
        request.Url.Split('?') is [_, var query]
        && query.Split('&').Any(p => p.Split('=', 2) is not [_, var value] || string.IsNullOrWhiteSpace(Uri.UnescapeDataString(value)));

    private static bool Succeeded(SortedDictionary<int, int> statuses) => statuses.Keys.Any(s => s is >= 200 and < 300);

    /// <summary>What Prism found out of the document in the request or the answer (its <c>sl-violations</c> header), by where.</summary>
    private static IEnumerable<(string Location, string Message)> Violations(HttpResponseMessage response) =>
        response.Headers.TryGetValues("sl-violations", out var violations)
            ? JsonDocument.Parse(string.Join("", violations)).RootElement.EnumerateArray()
                .Select(v => (v.GetProperty("location")[0].GetString()!, v.GetProperty("message").GetString()!)).ToList()
            : [];

    /// <summary>What does not match the document in an answer.</summary>
    private static IEnumerable<string> Check(ContractRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            yield return "a server error";
        }

        foreach (var violation in Violations(response).Where(v => v.Location == "response"))
        {
            yield return "Prism: " + violation.Message;
        }

        var code = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!request.Operation.Responses.TryGetValue(code, out var mediaTypes))
        {
            yield return $"status {code} is not documented ({string.Join(", ", request.Operation.Responses.Keys)})";
            yield break;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (body.Length > 0 && !mediaTypes.Contains(mediaType ?? ""))
        {
            yield return $"content type {mediaType} is not documented for {code} ({string.Join(", ", mediaTypes)})";
        }

        if (body.Length == 0 && mediaTypes.Count > 0)
        {
            yield return $"no body, where the document describes {string.Join(", ", mediaTypes)}";
        }
    }

    /// <summary>The caller's credential in every header style the surfaces read.</summary>
    private static void Authorize(HttpRequestMessage message, ContractRequest request, ContractWorld world)
    {
        var (name, secret) = request.Caller switch
        {
            ContractCaller.Admin => ("bootstrap", SessionsApiFactory.BootstrapKey),
            ContractCaller.Reader => (TestKeys.Read.Name, TestKeys.Read.Secret),
            ContractCaller.Unknown => ("nobody", "not-a-known-secret-0000"),
            ContractCaller.EndUser when world.Sessions.LastOrDefault(s => s.UserId == request.CallerUser) is { } own => (own.UserId, own.Token),
            _ => ((string?)null, (string?)null),
        };
        if (secret is null)
        {
            return;
        }

        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        message.Headers.Add("sessionToken", secret);
        message.Headers.Add("X-API-KEY", secret);
        message.Headers.Add("X-User-Id", name);
        message.Headers.Add("X-Auth-Token", secret);
    }

    /// <summary>Remembers what a successful request made, so that later ones can name it.</summary>
    private static void Learn(ContractWorld world, ContractRequest request, int status, string body)
    {
        if (status != 201 || body.Length == 0)
        {
            return;
        }

        var answer = JsonDocument.Parse(body).RootElement;
        if (request.Operation.Path == "/v1/tenants/{tenant}/users/{userId}/sessions")
        {
            var segments = request.Url.Split('?')[0].Split('/');
            world.Learn(Uri.UnescapeDataString(segments[3]), Uri.UnescapeDataString(segments[5]), answer);
        }
        else if (request.Operation.Path == "/v1/tenants/{tenant}/webhooks" && answer.TryGetProperty("id", out var id))
        {
            world.Webhooks.Add(id.GetString()!);
        }
        else if (request.Operation.Path == "/v1/tenants/{tenant}/ssf/streams" && request.Method == HttpMethod.Post && answer.TryGetProperty("stream_id", out var stream))
        {
            world.Streams.Add(stream.GetString()!);
        }
    }
}
