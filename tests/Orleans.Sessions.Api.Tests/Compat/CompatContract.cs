using System.Globalization;
using System.Net;
using System.Text.Json;
using Orleans.Sessions.Testing;

namespace Orleans.Sessions.Api.Tests.Compat;

/// <summary>
/// What one seed API's published document says, as <c>tests/TestData/Compat/{name}.json</c> states it (notation in
/// that folder's README): the golden shapes, statuses and headers the contract tests check a façade against.
/// </summary>
internal sealed class CompatContract
{
    private readonly string _name;
    private readonly JsonElement _shapes;
    private readonly JsonElement _endpoint;

    private CompatContract(string name, JsonElement root)
    {
        _name = name;
        _shapes = root.GetProperty("shapes");
        _endpoint = root.GetProperty("endpoints").EnumerateObject().Single().Value;
    }

    public static CompatContract Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(TestData.PathOf(Path.Combine("Compat", name + ".json"))));
        return new(name, document.RootElement.Clone());
    }

    /// <summary>The name of a header the document lists for its endpoint.</summary>
    public string Header(string name)
    {
        Assert.True(
            _endpoint.GetProperty("parameters").TryGetProperty(name, out var parameter) && parameter.GetProperty("in").GetString() == "header",
            $"{_name}: the document lists no header '{name}'");
        return name;
    }

    /// <summary>Asserts that <paramref name="actual"/> has the named shape.</summary>
    public void AssertShape(JsonElement actual, string shape) => JsonShape.Match(actual, Shape(shape), Shape);

    /// <summary>
    /// Asserts that the document lists <paramref name="status"/>, that <paramref name="body"/> has the shape it gives
    /// for it, and that the body carries the values every such answer carries.
    /// </summary>
    public void AssertAnswer(HttpStatusCode status, JsonElement body)
    {
        var response = Response(status);
        if (response.TryGetProperty("body", out var shape))
        {
            JsonShape.Match(body, shape, Shape);
        }

        if (response.TryGetProperty("fixed", out var values))
        {
            AssertValues(body, values);
        }
    }

    /// <summary>Asserts the values the document fixes for one kind of answer with <paramref name="status"/>.</summary>
    public void AssertCase(HttpStatusCode status, string name, JsonElement body)
    {
        var values = Response(status).TryGetProperty("cases", out var cases) && cases.TryGetProperty(name, out var found) ? found : default;
        Assert.True(values.ValueKind == JsonValueKind.Object, $"{_name}: the document gives no case '{name}' of {(int)status}");
        AssertValues(body, values);
    }

    private JsonElement Response(HttpStatusCode status)
    {
        var code = ((int)status).ToString(CultureInfo.InvariantCulture);
        Assert.True(_endpoint.GetProperty("responses").TryGetProperty(code, out var response), $"{_name}: the document lists no {code} answer");
        return response;
    }

    private JsonElement Shape(string name) =>
        _shapes.TryGetProperty(name, out var shape) ? shape : throw new InvalidOperationException($"{_name}.json has no shape '{name}'.");

    private static void AssertValues(JsonElement body, JsonElement values)
    {
        foreach (var value in values.EnumerateObject())
        {
            Assert.Equal(value.Value.GetString(), body.GetProperty(value.Name).GetString());
        }
    }
}
