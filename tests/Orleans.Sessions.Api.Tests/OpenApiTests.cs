using System.Net;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests;

/// <summary>The OpenAPI document and reference page (docs/operations.md): every surface's paths, one tag per system.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(SessionsApiFactory factory)
{
    [Fact]
    public async Task The_document_lists_every_seed_APIs_paths_under_one_tag_per_system()
    {
        using var response = await factory.CreateAnonymousClient().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        var tagsByPath = document.GetProperty("paths").EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.EnumerateObject().SelectMany(op => op.Value.TryGetProperty("tags", out var tags) ? tags.EnumerateArray().Select(t => t.GetString()!) : []).ToHashSet());
        var expected = new Dictionary<string, string[]>
        {
            ["Symphony Pod API"] = ["/pod/v1/users/{uid}/sessions", "/pod/v1/users/{uid}/sessions/{sid}/logout", "/pod/v1/users/{uid}/sessions/logout"],
            ["PingOne"] = ["/v1/environments/{envID}/users/{userID}/sessions", "/v1/environments/{envID}/users/{userID}/sessions/{sessionID}"],
            ["WorkOS"] = ["/user_management/users/{id}/sessions", "/user_management/sessions/revoke"],
            ["Rocket.Chat"] = ["/api/v1/sessions/list.all", "/api/v1/sessions/list", "/api/v1/sessions/info", "/api/v1/sessions/logout", "/api/v1/sessions/logout.me"],
            ["MonoCloud"] = ["/api/users/{user_id}/sessions", "/api/users/{user_id}/sessions/{session_id}"],
            ["User sessions"] = ["/v1/tenants/{tenant}/users/{userId}/sessions", "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/revoke"],
            ["Directory"] = ["/v1/tenants/{tenant}/sessions", "/v1/tenants/{tenant}/sessions/count"],
            ["My sessions"] = ["/v1/me/sessions", "/v1/me/sessions/revoke-others"],
        };
        foreach (var (tag, paths) in expected)
        {
            foreach (var path in paths)
            {
                Assert.True(tagsByPath.TryGetValue(path, out var tags), $"{path} is not in the document: {string.Join(", ", tagsByPath.Keys)}");
                Assert.Equal([tag], tags);
            }
        }

        Assert.All(tagsByPath, p => Assert.Single(p.Value));
    }

    [Fact]
    public async Task A_real_linter_finds_no_error_in_the_document()
    {
        using var response = await factory.CreateAnonymousClient().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "openapi.json");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        // tests/clients/redocly.yaml names the rules; telemetry and the update check stay off (no network here).
        var lint = await NodeScripts.RunAsync(
            "node_modules/@redocly/cli/bin/cli.js",
            "@redocly/cli",
            ["lint", path, "--format", "stylish"],
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });

        Assert.True(lint.ExitCode == 0, $"redocly lint exited {lint.ExitCode}:\n{lint.Output}\n{lint.Errors}");
        Assert.Contains("openapi.json", lint.Output + lint.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/tenants/{tenant}/users/{userId}/sessions", "get", "bearer")]
    [InlineData("/v1/me/sessions", "get", "bearer")]
    [InlineData("/v1/tenants/{tenant}/sessions", "get", "bearer", "bearer X-TOTP")]
    [InlineData("/pod/v1/users/{uid}/sessions", "get", "sessionToken")]
    [InlineData("/api/v1/sessions/list", "get", "X-User-Id X-Auth-Token")]
    [InlineData("/api/v1/sessions/list.all", "get", "X-User-Id X-Auth-Token", "X-User-Id X-Auth-Token x-2fa-code x-2fa-method")]
    [InlineData("/api/users/{user_id}/sessions", "get", "X-API-KEY")]
    [InlineData("/user_management/users/{id}/sessions", "get", "bearer")]
    [InlineData("/v1/tenants/{tenant}/.well-known/jwks.json", "get")]
    public async Task Each_operation_names_the_credentials_its_surface_reads(string path, string method, params string[] alternatives)
    {
        using var response = await factory.CreateAnonymousClient().GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        var security = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("security");
        var schemes = document.GetProperty("components").GetProperty("securitySchemes");

        Assert.Equal(alternatives, security.EnumerateArray().Select(r => string.Join(' ', r.EnumerateObject().Select(s => s.Name))));
        Assert.All(security.EnumerateArray().SelectMany(r => r.EnumerateObject()), s => Assert.True(schemes.TryGetProperty(s.Name, out _), $"{s.Name} is not a security scheme"));
    }

    [Fact]
    public async Task Every_secured_operation_documents_the_refusals_it_can_answer_in_its_surfaces_shape()
    {
        var ct = TestContext.Current.CancellationToken;
        var document = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync("/openapi/v1.json", ct)).RootElement;
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value)))
            .Where(o => o.Operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0)
            .ToList();

        Assert.NotEmpty(operations);
        foreach (var (path, method, operation) in operations)
        {
            foreach (var code in new[] { "401", "403", "429", "503" })
            {
                Assert.True(operation.GetProperty("responses").TryGetProperty(code, out var response), $"{method} {path} documents no {code}");
                Assert.True(response.GetProperty("content").EnumerateObject().Single().Value.TryGetProperty("schema", out _), $"{method} {path} {code} has no schema");
                Assert.Equal(code is "429" or "503", response.TryGetProperty("headers", out var headers) && headers.TryGetProperty("Retry-After", out _));
            }
        }

        // Each surface's own shape: Rocket.Chat's 401 is not its 403, Symphony's is its own, the canonical API's is problem details.
        Assert.Equal(["message", "status"], Required(document, "/api/v1/sessions/list", "401", "application/json"));
        Assert.Equal(["error", "success"], Required(document, "/api/v1/sessions/list", "403", "application/json")); // errorType only sometimes.
        Assert.Equal(["code", "message"], Required(document, "/pod/v1/users/{uid}/sessions", "401", "application/json"));
        Assert.True(document.GetProperty("paths").GetProperty("/v1/me/sessions").GetProperty("get").GetProperty("responses").GetProperty("401")
            .GetProperty("content").TryGetProperty("application/problem+json", out _));

        // And what the service answers has the documented shape.
        using var refused = await factory.CreateAnonymousClient().GetAsync("/api/v1/sessions/list", ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.All(Required(document, "/api/v1/sessions/list", "401", "application/json"), name => Assert.True(body.TryGetProperty(name, out _), $"the 401 has no '{name}'"));
    }

    [Fact]
    public async Task Fields_an_answer_leaves_out_when_empty_are_not_required()
    {
        var document = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");

        // Rocket.Chat answers sessions without _user when it has no user record to show, and users without a name.
        foreach (var (schema, optional) in new[] { ("RocketChatSession", "_user"), ("RocketChatUser", "name") })
        {
            var definition = schemas.GetProperty(schema);
            Assert.True(definition.GetProperty("properties").TryGetProperty(optional, out _), $"{schema} has no {optional}");
            Assert.DoesNotContain(optional, definition.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        }
    }

    [Fact]
    public async Task List_all_filters_are_arrays_of_one_value_as_the_service_refuses_a_repeat()
    {
        var document = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        foreach (var path in new[] { "/v1/tenants/{tenant}/sessions", "/v1/tenants/{tenant}/sessions/count" })
        {
            var arrays = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("schema").TryGetProperty("type", out var type) && type.GetString() == "array").ToList();
            Assert.Equal(13, arrays.Count);
            Assert.All(arrays, p => Assert.Equal(1, p.GetProperty("schema").GetProperty("maxItems").GetInt32()));
        }

        var api = new ApiClient(factory.CreateClient());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync($"/v1/tenants/{api.Tenant}/sessions?country=FR&country=DE")).Status);
    }

    [Fact]
    public async Task Parameters_say_which_values_are_taken()
    {
        var document = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(Orleans.Sessions.Api.Http.WirePatterns.SessionId, Parameter(document, "/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}", "get", "sessionId").GetProperty("pattern").GetString());
        Assert.Equal(Orleans.Sessions.Api.Http.WirePatterns.Id, Parameter(document, "/v1/tenants/{tenant}/users/{userId}/sessions", "get", "tenant").GetProperty("pattern").GetString());
        var limit = Parameter(document, "/v1/tenants/{tenant}/users/{userId}/sessions", "get", "limit");
        Assert.Equal("integer", limit.GetProperty("type").GetString());
        Assert.Equal(1, limit.GetProperty("minimum").GetInt32());
        Assert.Equal(Orleans.Sessions.Users.SessionQuery.MaxLimit, limit.GetProperty("maximum").GetInt32());
        Assert.Contains("revoked", Parameter(document, "/v1/tenants/{tenant}/users/{userId}/sessions", "get", "status").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["asc", "desc", "normal"], Parameter(document, "/user_management/users/{id}/sessions", "get", "order").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("integer", Parameter(document, "/pod/v1/users/{uid}/sessions", "get", "uid").GetProperty("type").GetString());
        Assert.Equal(Orleans.Sessions.Api.Http.WirePatterns.Uuid, Parameter(document, "/v1/environments/{envID}/users/{userID}/sessions/{sessionID}", "get", "sessionID").GetProperty("pattern").GetString());
        Assert.Contains("-activeAt", Parameter(document, "/v1/tenants/{tenant}/users/{userId}/sessions", "get", "sort").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("-userName", Parameter(document, "/v1/tenants/{tenant}/sessions", "get", "sort").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Matches(Parameter(document, "/api/users/{user_id}/sessions", "get", "sort").GetProperty("pattern").GetString()!, "initiated_at:-1");
        Assert.Contains("session.revoked", Parameter(document, "/v1/tenants/{tenant}/events", "get", "type").GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("date-time", Parameter(document, "/v1/tenants/{tenant}/sessions", "get", "activeSince").GetProperty("format").GetString());
        Assert.True(document.GetProperty("paths").GetProperty("/api/v1/sessions/info").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "sessionId").GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task Request_bodies_hold_only_what_a_client_sends_and_are_required_where_a_field_is()
    {
        var document = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");

        // What the service computes from a body once validated is not part of it.
        Assert.Equal(["eventId", "from", "until"], schemas.GetProperty("WebhookRedelivery").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["overlapSeconds"], schemas.GetProperty("WebhookRotation").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        foreach (var path in new[] { "/api/v1/sessions/logout", "/user_management/sessions/revoke", "/v1/tenants/{tenant}/users/{userId}/sessions" })
        {
            Assert.True(document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("required").GetBoolean(), $"{path}'s body is not required");
        }

        // A registration requires the url its update may leave out: all of the shared schema, and url.
        var create = document.GetProperty("paths").GetProperty("/v1/tenants/{tenant}/webhooks").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("allOf");
        Assert.Equal("#/components/schemas/WebhookRequest", create[0].GetProperty("$ref").GetString());
        Assert.Equal(["url"], create[1].GetProperty("required").EnumerateArray().Select(r => r.GetString()));

        Assert.False(document.GetProperty("paths").GetProperty("/v1/tenants/{tenant}/users/{userId}/sessions/{sessionId}/revoke").GetProperty("post").GetProperty("requestBody")
            .TryGetProperty("required", out var optional) && optional.GetBoolean());
    }

    [Fact]
    public async Task Sessions_have_examples_made_by_each_surfaces_own_mapping()
    {
        var schemas = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement
            .GetProperty("components").GetProperty("schemas");

        Assert.Equal("81.2.69.160", schemas.GetProperty("SignOnRequest").GetProperty("examples")[0].GetProperty("ip").GetString());
        Assert.Equal("London", schemas.GetProperty("SessionResponse").GetProperty("examples")[0].GetProperty("locations")[0].GetProperty("city").GetString());
        Assert.Equal("session_01KAQ6S8V1M4ZC3T7B2N9XWD5E", schemas.GetProperty("WorkOsSession").GetProperty("examples")[0].GetProperty("id").GetString());
        Assert.Equal(
            Orleans.Sessions.Testing.SessionIdSpellings.ToHex("01KAQ6S8V1M4ZC3T7B2N9XWD5E"),
            schemas.GetProperty("MonoCloudSession").GetProperty("examples")[0].GetProperty("session_id").GetString());
        Assert.True(schemas.GetProperty("RocketChatSession").GetProperty("examples")[0].TryGetProperty("loginAt", out _));
    }

    [Fact]
    public async Task Every_request_body_and_every_answer_has_an_example()
    {
        var document = JsonDocument.Parse(await factory.CreateAnonymousClient().GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).RootElement;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var missing = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var media = new List<(string Where, JsonElement Media)>();
                if (operation.Value.TryGetProperty("requestBody", out var body))
                {
                    media.AddRange(body.GetProperty("content").EnumerateObject().Select(c => ($"{operation.Name} {path.Name} body {c.Name}", c.Value)));
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Value.TryGetProperty("content", out _)))
                {
                    media.AddRange(response.Value.GetProperty("content").EnumerateObject().Select(c => ($"{operation.Name} {path.Name} {response.Name} {c.Name}", c.Value)));
                }

                missing.AddRange(media.Where(m => !m.Media.TryGetProperty("example", out _) && !HasExample(schemas, m.Media.GetProperty("schema"))).Select(m => m.Where));
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} without an example:\n{string.Join("\n", missing)}");

        // Errors are written by each surface's own writer: a WorkOS 404 in WorkOS' shape, a Symphony 401 in Symphony's.
        var responses = document.GetProperty("paths").GetProperty("/user_management/sessions/revoke").GetProperty("post").GetProperty("responses");
        Assert.Equal("entity_not_found", responses.GetProperty("404").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("code").GetString());
        var symphony = document.GetProperty("paths").GetProperty("/pod/v1/users/{uid}/sessions").GetProperty("get").GetProperty("responses");
        Assert.Equal(401, symphony.GetProperty("401").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("code").GetInt32());
        var canonical = document.GetProperty("paths").GetProperty("/v1/tenants/{tenant}/users/{userId}/sessions").GetProperty("post").GetProperty("responses");
        Assert.True(canonical.GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("example").GetProperty("errors").TryGetProperty("ip", out _));
    }

    /// <summary>Whether a schema, or what it refers to, is one of or holds the items of, carries an example.</summary>
    private static bool HasExample(JsonElement schemas, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema.TryGetProperty("examples", out _) || schema.TryGetProperty("example", out _)
            || (schema.TryGetProperty("items", out var items) && HasExample(schemas, items))
            || (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Any(s => HasExample(schemas, s)))
            || (schema.TryGetProperty("allOf", out var allOf) && allOf.EnumerateArray().Any(s => HasExample(schemas, s)));
    }

    /// <summary>The schema of one parameter of an operation.</summary>
    private static JsonElement Parameter(JsonElement document, string path, string method, string name)
    {
        var schema = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("schema");
        return schema.TryGetProperty("items", out var items) ? items : schema;
    }

    private static string[] Required(JsonElement document, string path, string code, string contentType) =>
    [
        .. document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty(code)
            .GetProperty("content").GetProperty(contentType).GetProperty("schema").GetProperty("required").EnumerateArray()
            .Select(r => r.GetString()!).Order(StringComparer.Ordinal),
    ];

    [Fact]
    public async Task The_reference_page_is_served()
    {
        using var response = await factory.CreateAnonymousClient().GetAsync("/docs/v1", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
