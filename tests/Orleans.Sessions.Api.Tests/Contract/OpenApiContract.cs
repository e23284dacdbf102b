using System.Text.Json;

namespace Orleans.Sessions.Api.Tests.Contract;

/// <summary>One parameter of an operation, as the document declares it.</summary>
public sealed record ContractParameter(string Name, string In, bool Required, JsonElement Schema);

/// <summary>One operation of the document: its parameters, its body, and the media types of each status it answers.</summary>
public sealed record ContractOperation(
    string Method,
    string Path,
    string Id,
    IReadOnlyList<ContractParameter> Parameters,
    JsonElement? Body,
    bool BodyRequired,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Responses,
    IReadOnlyList<IReadOnlyList<string>> Security,
    string BodyMediaType = "application/json")
{
    /// <summary>Whether a refusal of this operation must leave the service as it was.</summary>
    public bool Changes => Method is not "GET";

    public override string ToString() => $"{Method} {Path}";
}

/// <summary>The OpenAPI document the service serves, read as a list of operations with their schemas resolved on demand.</summary>
public sealed class OpenApiContract(JsonElement document)
{
    public JsonElement Document { get; } = document;

    public IReadOnlyList<ContractOperation> Operations { get; } = [.. Read(document)];

    /// <summary>The schema <paramref name="schema"/> names by <c>$ref</c>, or itself.</summary>
    public JsonElement Resolve(JsonElement schema)
    {
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = Document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    private static IEnumerable<ContractOperation> Read(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var declared)
                    ? declared.EnumerateArray().Select(p => new ContractParameter(
                        p.GetProperty("name").GetString()!,
                        p.GetProperty("in").GetString()!,
                        p.TryGetProperty("required", out var required) && required.GetBoolean(),
                        p.TryGetProperty("schema", out var schema) ? schema : default)).ToList()
                    : [];
                JsonElement? body = null;
                var bodyRequired = false;
                var bodyMediaType = "application/json";
                if (operation.Value.TryGetProperty("requestBody", out var requestBody))
                {
                    var content = requestBody.GetProperty("content").EnumerateObject().First(); // application/json, or a metadata patch's merge-patch+json
                    (bodyMediaType, body) = (content.Name, content.Value.GetProperty("schema"));
                    bodyRequired = requestBody.TryGetProperty("required", out var required) && required.GetBoolean();
                }

                var responses = operation.Value.GetProperty("responses").EnumerateObject().ToDictionary(
                    r => r.Name,
                    r => (IReadOnlyList<string>)(r.Value.TryGetProperty("content", out var content) ? [.. content.EnumerateObject().Select(c => c.Name)] : []));
                var security = operation.Value.TryGetProperty("security", out var alternatives)
                    ? alternatives.EnumerateArray().Select(a => (IReadOnlyList<string>)[.. a.EnumerateObject().Select(s => s.Name)]).ToList()
                    : [];
                yield return new ContractOperation(
                    operation.Name.ToUpperInvariant(),
                    path.Name,
                    operation.Value.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{operation.Name} {path.Name}",
                    parameters,
                    body,
                    bodyRequired,
                    responses,
                    security,
                    bodyMediaType);
            }
        }
    }
}
