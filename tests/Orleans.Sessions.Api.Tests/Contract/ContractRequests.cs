using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Contract;

/// <summary>Who a generated request comes from.</summary>
public enum ContractCaller
{
    /// <summary>The bootstrap key: every role, every tenant.</summary>
    Admin,

    /// <summary>The end-user token of a session the test made, with its user id where a surface wants one.</summary>
    EndUser,

    /// <summary>A key with the read role only.</summary>
    Reader,

    /// <summary>No credential.</summary>
    Anonymous,

    /// <summary>A secret no key has.</summary>
    Unknown,
}

/// <summary>A request body (none when <see cref="Text"/> is null), its content type, and whether it is JSON at all.</summary>
public sealed record ContractBody(string? Text, string ContentType = "application/json", bool WellFormed = true)
{
    public static ContractBody None { get; } = new((string?)null);
}

/// <summary>A request made for the world as it is when it is sent: what to send, and whether its body is JSON at all.</summary>
public sealed record ContractRequest(ContractOperation Operation, HttpMethod Method, string Url, ContractBody Body, ContractCaller Caller, string CallerUser)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Url);
        if (Body.Text is not null)
        {
            message.Content = new StringContent(Body.Text, Encoding.UTF8, Body.ContentType);
        }

        return message;
    }

    public override string ToString() => $"{Method} {Url} as {Caller}{(Body.Text is null ? "" : $" body ({Body.ContentType}) " + (Body.Text.Length > 300 ? Body.Text[..300] + "…" : Body.Text))}";
}

/// <summary>
/// Requests generated from the OpenAPI document with CsCheck: for each operation, its path, query and body parameters
/// filled from their schemas — with values that name what exists (users, sessions in each surface's spelling, webhooks)
/// as often as made-up and hostile ones — and, one time in four, a valid body mutated (a required field dropped, a
/// field of the wrong type, an unknown field, not JSON at all). Each generated value is a function of the world at the
/// time it is sent, so a request can name a session signed on by an earlier one.
/// </summary>
public sealed class ContractRequests(OpenApiContract contract)
{
    private static readonly string[] Hostile =
    [
        "", " ", "%00", "../../etc/passwd", new string('a', 3000), "ünïcødé-🙂", "<script>", "'; DROP TABLE x; --", "-1", "0",
        "99999999999999999999999", "1e308", "NaN", "null", "true", "{}", "[]", "{\"a\":", "(a+)+$", "[", "*", "sst_x.y",
        "01ARZ3NDEKTSV4RRFFQ69G5FAV", "00000000-0000-0000-0000-000000000000", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
    ];

    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "curl/8.5.0",
        "",
    ];

    private static readonly Gen<string> Text = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@: "], 0, 24];

    private static readonly Gen<string> Junk = Gen.Frequency((3, Gen.OneOf(Hostile)), (1, Gen.String[Gen.Char, 0, 40]));

    /// <summary>Mostly a caller allowed everything, so that requests reach their handlers; every kind of refusal too.</summary>
    private static readonly Gen<ContractCaller> Callers = Gen.Frequency(
        (52, Gen.Const(ContractCaller.Admin)), (24, Gen.Const(ContractCaller.EndUser)), (8, Gen.Const(ContractCaller.Reader)),
        (8, Gen.Const(ContractCaller.Anonymous)), (8, Gen.Const(ContractCaller.Unknown)));

    private static readonly Gen<string> Times = Gen.OneOf("2026-11-22T11:00:00Z", "2026-11-22T12:00:00.000Z", "2020-01-01T00:00:00+02:00", "2026-11-22", "1764000000", "yesterday");

    /// <summary>One request to any operation of the document, uniformly.</summary>
    public Gen<Func<ContractWorld, ContractRequest>> Any() => Gen.OneOf([.. contract.Operations.Select(For)]);

    /// <summary>One request to <paramref name="operation"/>.</summary>
    public Gen<Func<ContractWorld, ContractRequest>> For(ContractOperation operation)
    {
        var parameters = operation.Parameters.Select(p => Parameter(operation, p)).ToArray();
        var all = All(parameters);
        var body = operation.Body is { } schema
            ? Body(operation, schema)
            : Gen.Const<Func<ContractWorld, string, ContractBody>>((_, _) => ContractBody.None);
        return Gen.Select(all, body, Callers, Gen.Int[0, int.MaxValue], (values, makeBody, caller, pick) =>
            (Func<ContractWorld, ContractRequest>)(world =>
            {
                var user = ContractWorld.Users[pick % ContractWorld.Users.Count];
                var resolved = values.Select(v => v(world, user)).OfType<(ContractParameter Parameter, string Value)>().ToList();
                // An empty segment, or one of dots (RFC 3986 dot segments, which the client takes out), would make the request
                // one to another path: those get a character more.
                var path = operation.Path;
                foreach (var (parameter, value) in resolved.Where(r => r.Parameter.In == "path"))
                {
                    path = path.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(value is "" or "." or ".." ? value + "_" : value), StringComparison.Ordinal);
                }

                var query = string.Join('&', resolved.Where(r => r.Parameter.In == "query").Select(r => $"{Uri.EscapeDataString(r.Parameter.Name)}={Uri.EscapeDataString(r.Value)}"));
                var contentBody = makeBody(world, user);
                return new ContractRequest(operation, new HttpMethod(operation.Method), query.Length == 0 ? path : $"{path}?{query}", contentBody, caller, user);
            }));
    }

    /// <summary>A value for one parameter (or none, for an optional one left out), given the world and the request's user.</summary>
    private Gen<Func<ContractWorld, string, (ContractParameter, string)?>> Parameter(ContractOperation operation, ContractParameter parameter)
    {
        var value = Gen.Frequency((9, Meaningful(operation, parameter.Name, parameter.Schema)), (1, Junk.Select(Fixed)));
        if (parameter.Required)
        {
            return value.Select(v => (Func<ContractWorld, string, (ContractParameter, string)?>)((world, user) => (parameter, v(world, user))));
        }

        return Gen.Select(Gen.Int[0, 99], value, (present, v) =>
            (Func<ContractWorld, string, (ContractParameter, string)?>)((world, user) => present < 30 ? (parameter, v(world, user)) : null));
    }

    /// <summary>One value of each generator, in order.</summary>
    private static Gen<T[]> All<T>(IReadOnlyList<Gen<T>> generators) =>
        generators.Aggregate(Gen.Const(Array.Empty<T>()), (values, next) => Gen.Select(values, next, (a, b) => (T[])[.. a, b]));

    private static Func<ContractWorld, string, string> Fixed(string value) => (_, _) => value;

    /// <summary>Values a parameter or field of this name means: what exists, in the operation's spelling.</summary>
    private Gen<Func<ContractWorld, string, string>> Meaningful(ContractOperation operation, string name, JsonElement schema)
    {
        switch (name)
        {
            case "tenant" or "envID":
                return Gen.Frequency((8, Gen.Const(ContractWorld.Tenant)), (1, Gen.Const(ContractWorld.OtherTenant)), (1, Gen.Const("no-such-tenant"))).Select(Fixed);
            case "userId" or "uid" or "userID" or "id" or "user_id":
                return Gen.Frequency((8, Gen.Const<Func<ContractWorld, string, string>>((_, user) => user)), (1, Gen.OneOf([.. ContractWorld.Users]).Select(Fixed)), (1, Gen.OneOf("9999", "nobody").Select(Fixed)));
            case "sessionId" or "sid" or "sessionID" or "session_id" or "exceptSessionId":
                return Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 9], (pick, kind) => (Func<ContractWorld, string, string>)((world, user) =>
                {
                    var own = world.Sessions.Where(s => s.UserId == user).ToList();
                    var from = kind < 7 && own.Count > 0 ? own.TakeLast(2).ToList() : world.Sessions;
                    var ulid = kind == 9 || from.Count == 0 ? "01ARZ3NDEKTSV4RRFFQ69G5FAV" : from[pick % from.Count].Id;
                    return Spell(operation, ulid);
                }));
            case "webhookId":
                return Gen.Int[0, int.MaxValue].Select(pick => (Func<ContractWorld, string, string>)((world, _) =>
                    world.Webhooks.Count == 0 || pick % 5 == 0 ? "wh_01ARZ3NDEKTSV4RRFFQ69G5FAV" : world.Webhooks[pick % world.Webhooks.Count]));
            case "limit" or "count" or "size" or "offset" or "page":
                return Gen.Frequency((4, Gen.Int[0, 120]), (1, Gen.Int[-5, 100_000])).Select(i => Fixed(i.ToString(CultureInfo.InvariantCulture)));
            case "sort":
                return Gen.OneOf("createdAt", "-createdAt", "activeAt", "-activeAt", "expiresAt", "-expiresAt", "userId", "created_at", "last_updated",
                    "{\"loginAt\":-1}", "{\"loginAt\":1}", "{\"_updatedAt\":-1}", "asc", "desc", "name").Select(Fixed);
            case "order":
                return Gen.OneOf("asc", "desc", "normal").Select(Fixed);
            case "status" when operation.Path.EndsWith("/ssf/status", StringComparison.Ordinal):
                return Gen.OneOf("enabled", "paused", "disabled", "stopped").Select(Fixed);
            case "status":
                return Gen.OneOf("active", "expired", "ended", "revoked", "evicted", "signed_out", "ACTIVE").Select(Fixed);
            case "type":
                return Gen.OneOf("session.created", "session.revoked", "session.signed_out", "session.expired", "nope").Select(Fixed);
            case "authMethod":
                return Gen.OneOf("password", "otp", "webauthn", "sso", "pass word").Select(Fixed);
            case "country":
                return Gen.OneOf("GB", "US", "se", "ZZZ").Select(Fixed);
            case "deviceType":
                return Gen.OneOf("desktop", "mobile", "tablet", "bot", "toaster").Select(Fixed);
            case "ip" or "ip_address" or "remoteIp":
                return Gen.OneOf("81.2.69.160", "203.0.113.7", "2001:db8::1", "203.0.113.0/24", "::ffff:81.2.69.160", "999.1.1.1").Select(Fixed);
            case "activeSince" or "activeBefore" or "from" or "until":
                return Times.Select(Fixed);
            case "impersonated" or "enabled":
                return Gen.OneOf("true", "false", "yes").Select(Fixed);
            case "filter":
                return Gen.OneOf("{\"status\":\"active\"}", "{\"device.name\":\"Chrome\"}", "{}", "{\"userId\":{\"$ne\":1}}", "not json").Select(Fixed);
            case "userAgent" or "user_agent":
                return Gen.OneOf(UserAgents).Select(Fixed);
            case "clientId" or "client_id":
                return Gen.OneOf("app-1", "app-2", "mobile").Select(Fixed);
            case "jobId":
                return Gen.Int[0, int.MaxValue].Select(pick => (Func<ContractWorld, string, string>)((world, _) =>
                    world.Jobs.Count == 0 || pick % 5 == 0 ? "job_01ARZ3NDEKTSV4RRFFQ69G5FAV" : world.Jobs[pick % world.Jobs.Count]));
            case "stream_id":
                return Gen.Int[0, int.MaxValue].Select(pick => (Func<ContractWorld, string, string>)((world, _) =>
                    world.Streams.Count == 0 || pick % 5 == 0 ? "st_01ARZ3NDEKTSV4RRFFQ69G5FAV" : world.Streams[pick % world.Streams.Count]));
            case "url" or "backchannelLogoutUri" or "issuer" or "endpoint_url":
                return Gen.Frequency((4, Gen.Const("http://127.0.0.1:9/hook")), (1, Gen.OneOf("https://hooks.example.com/sessions", "ftp://example.com/x", "/relative"))).Select(Fixed);
            default:
                return ByType(schema).Select(Fixed);
        }
    }

    /// <summary>A value each free-text field takes.</summary>
    private static string ValidText(string name) => name switch
    {
        "host" => "login.example.com",
        "organizationId" => "org-1",
        "populationId" => TestKeys.Population,
        "email" => "ada@example.com",
        "city" => "London",
        "region" => "England",
        "country" => "United Kingdom",
        "countryCode" => "GB",
        "deviceId" => "device-1",
        "userName" => "ada",
        "displayName" => "Ada Lovelace",
        _ => "contract test",
    };

    /// <summary>A session id as the operation's surface spells it (docs/compatibility.md).</summary>
    private static string Spell(ContractOperation operation, string ulid) => operation.Path switch
    {
        var p when p.StartsWith("/v1/environments", StringComparison.Ordinal) => SessionIdSpellings.ToUuid(ulid),
        var p when p.StartsWith("/api/users", StringComparison.Ordinal) => SessionIdSpellings.ToHex(ulid),
        var p when p.StartsWith("/user_management", StringComparison.Ordinal) => SessionIdSpellings.ToWorkOs(ulid),
        _ => ulid,
    };

    private static Gen<string> ByType(JsonElement schema)
    {
        var types = Types(schema);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var values))
        {
            return Gen.OneOf([.. values.EnumerateArray().Select(v => v.ToString())]);
        }

        return types.Contains("integer") || types.Contains("number") ? Gen.Int[-5, 1000].Select(i => i.ToString(CultureInfo.InvariantCulture))
            : types.Contains("boolean") ? Gen.OneOf("true", "false")
            : Text;
    }

    private static HashSet<string> Types(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)] : [type.GetString()!]
            : [];

    /// <summary>A body for the operation: one its schema allows three times in four (sometimes none, where it is optional), a mutation of one otherwise.</summary>
    private Gen<Func<ContractWorld, string, ContractBody>> Body(ContractOperation operation, JsonElement schema)
    {
        var valid = Json(operation, schema, depth: 0);
        return Gen.Select(valid, Gen.Int[0, 99], Gen.Int[0, 9], Gen.Int[0, int.MaxValue], (make, roll, mutation, pick) =>
            (Func<ContractWorld, string, ContractBody>)((world, user) =>
            {
                var node = make(world, user);
                if (!operation.BodyRequired && roll < 10)
                {
                    return ContractBody.None;
                }

                if (roll >= 75)
                {
                    return Mutate(node, contract.Resolve(schema), mutation, pick, operation.BodyMediaType);
                }

                return new ContractBody(node?.ToJsonString() ?? "null", operation.BodyMediaType);
            }));
    }

    private static ContractBody Mutate(JsonNode? node, JsonElement schema, int mutation, int pick, string mediaType)
    {
        var required = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
        switch (mutation)
        {
            case 0 when node is JsonObject o && required.Count > 0:
                o.Remove(required[pick % required.Count]);
                return new ContractBody(o.ToJsonString(), mediaType);
            case 1 when node is JsonObject o && o.Count > 0:
                o[o.ElementAt(pick % o.Count).Key] = pick % 2 == 0 ? JsonValue.Create(12345) : new JsonObject { ["nested"] = new JsonArray() };
                return new ContractBody(o.ToJsonString(), mediaType);
            case 2 when node is JsonObject o:
                o["unexpectedField"] = "x";
                return new ContractBody(o.ToJsonString(), mediaType);
            case 3 when node is JsonObject o && o.Count > 0:
                o[o.ElementAt(pick % o.Count).Key] = new string('x', 3000);
                return new ContractBody(o.ToJsonString(), mediaType);
            case 4:
                return new ContractBody("[]", mediaType);
            case 5:
                return new ContractBody("\"text\"", mediaType);
            case 6:
                return new ContractBody("{\"truncated\": ", WellFormed: false);
            case 7:
                return new ContractBody(node?.ToJsonString() ?? "{}", "text/plain");
            case 8:
                return new ContractBody(new JsonObject { ["padding"] = new string('x', 70_000) }.ToJsonString(), mediaType);
            default:
                return new ContractBody("", WellFormed: false);
        }
    }

    /// <summary>JSON for a schema: objects with their required fields and some optional ones, values by field name and type.</summary>
    private Gen<Func<ContractWorld, string, JsonNode?>> Json(ContractOperation operation, JsonElement schema, int depth)
    {
        schema = contract.Resolve(schema);
        // One of several types (a nullable one); a body of fields that excludes some combinations has its fields beside its
        // oneOf, and is generated from those (any combination, so that both allowed and refused ones are sent).
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("oneOf", out var oneOf) && !schema.TryGetProperty("properties", out _))
        {
            var choices = oneOf.EnumerateArray().Where(s => !Types(s).SetEquals(["null"])).ToList();
            return choices.Count == 0 ? Gen.Const<Func<ContractWorld, string, JsonNode?>>((_, _) => null) : Json(operation, choices[0], depth);
        }

        // All of several schemas: the one with the fields, with what every part requires (a create body that requires more
        // than the schema it shares with an update).
        var required = RequiredOf(schema);
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("allOf", out var allOf))
        {
            var parts = allOf.EnumerateArray().Select(contract.Resolve).ToList();
            schema = parts.First(p => p.TryGetProperty("properties", out _));
            required = [.. parts.SelectMany(RequiredOf)];
        }

        var types = Types(schema);
        if (types.Contains("object") && depth < 3)
        {
            if (!schema.TryGetProperty("properties", out var properties))
            {
                return Gen.Const<Func<ContractWorld, string, JsonNode?>>((_, _) => new JsonObject { ["Sec-CH-UA-Platform"] = "\"Windows\"" });
            }

            // Of a small object (a redelivery's eventId or from and until), more of the optional fields, so that a valid combination comes often.
            var few = properties.EnumerateObject().Count() <= 3;
            var fields = properties.EnumerateObject().Select(p => Gen.Select(Gen.Int[0, 99], Field(operation, p.Name, p.Value, depth), (present, value) =>
                (Name: p.Name, Present: required.Contains(p.Name) || present < (few ? 70 : 50), Value: value))).ToArray();
            return All(fields).Select(chosen =>
                (Func<ContractWorld, string, JsonNode?>)((world, user) =>
                {
                    var node = new JsonObject();
                    foreach (var (name, present, value) in chosen.Where(c => c.Present))
                    {
                        node[name] = value(world, user);
                    }

                    return node;
                }));
        }

        if (types.Contains("array"))
        {
            var items = schema.TryGetProperty("items", out var i) ? i : default;
            return Json(operation, items, depth + 1).Array[0, 2].Select(values =>
                (Func<ContractWorld, string, JsonNode?>)((world, user) => new JsonArray([.. values.Select(v => v(world, user))])));
        }

        return Scalar(schema, ByType(schema));
    }

    private static HashSet<string> RequiredOf(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("required", out var r) ? [.. r.EnumerateArray().Select(e => e.GetString()!)] : [];

    private Gen<Func<ContractWorld, string, JsonNode?>> Field(ContractOperation operation, string name, JsonElement schema, int depth) => name switch
    {
        "from" => Gen.Frequency((4, Gen.Const("2026-11-01T00:00:00Z")), (1, Times)).Select(s => (Func<ContractWorld, string, JsonNode?>)((_, _) => JsonValue.Create(s))),
        "until" => Gen.Frequency((4, Gen.Const("2026-12-31T00:00:00Z")), (1, Times)).Select(s => (Func<ContractWorld, string, JsonNode?>)((_, _) => JsonValue.Create(s))),
        "latitude" => Gen.Double[-90, 90].Select(d => (Func<ContractWorld, string, JsonNode?>)((_, _) => JsonValue.Create(Math.Round(d, 4)))),
        "longitude" => Gen.Double[-180, 180].Select(d => (Func<ContractWorld, string, JsonNode?>)((_, _) => JsonValue.Create(Math.Round(d, 4)))),
        "expiresIn" or "idleTimeout" or "overlapSeconds" => Gen.Frequency((4, Gen.Int[60, 864_000]), (1, Gen.Int[-10, int.MaxValue]))
            .Select(s => (Func<ContractWorld, string, JsonNode?>)((_, _) => JsonValue.Create(s))),
        "eventTypes" => Gen.OneOf("session.revoked", "session.created", "*", "bogus").Array[1, 2]
            .Select(t => (Func<ContractWorld, string, JsonNode?>)((_, _) => new JsonArray([.. t.Select(x => (JsonNode?)JsonValue.Create(x))]))),
        "reason" or "description" or "userName" or "displayName" or "deviceId" or "organizationId" or "populationId" or "host" or "city" or "region" or "email" or "country" or "countryCode" =>
            Gen.Frequency((5, Gen.Const(ValidText(name))), (1, Junk)).Select(s => (Func<ContractWorld, string, JsonNode?>)((_, _) => JsonValue.Create(s))),
        _ when Types(contract.Resolve(schema)).Overlaps(["object", "array"]) || contract.Resolve(schema).TryGetProperty("oneOf", out _) => Json(operation, schema, depth + 1),
        _ => Scalar(schema, Meaningful(operation, name, schema)),
    };

    private static Gen<Func<ContractWorld, string, JsonNode?>> Scalar(JsonElement schema, Gen<string> values) =>
        Scalar(schema, values.Select(Fixed));

    private static Gen<Func<ContractWorld, string, JsonNode?>> Scalar(JsonElement schema, Gen<Func<ContractWorld, string, string>> values)
    {
        var types = Types(schema);
        return values.Select(value => (Func<ContractWorld, string, JsonNode?>)((world, user) =>
        {
            var text = value(world, user);
            if ((types.Contains("integer") || types.Contains("number")) && !types.Contains("string") && double.TryParse(text, CultureInfo.InvariantCulture, out var number))
            {
                return JsonValue.Create(number);
            }

            if (types.Contains("boolean") && bool.TryParse(text, out var flag))
            {
                return JsonValue.Create(flag);
            }

            if (types.Contains("integer") && long.TryParse(text, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }

            return JsonValue.Create(text);
        }));
    }
}
