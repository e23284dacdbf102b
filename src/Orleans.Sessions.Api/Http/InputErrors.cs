namespace Orleans.Sessions.Api.Http;

/// <summary>
/// Collects validation errors for one request, keyed by the JSON/query name of the offending input, in
/// the shape of a validation problem's <c>errors</c>. Each message carries a machine code (<see cref="InputCodes"/>)
/// for the surfaces whose error bodies have one per field.
/// </summary>
public sealed class InputErrors
{
    private readonly Dictionary<string, List<(string Code, string Message)>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    /// <summary>How many fields have an error.</summary>
    public int Count => _errors.Count;

    /// <summary>An error whose code is the generic <see cref="InputCodes.Invalid"/> of its field.</summary>
    public void Add(string field, string message) => Add(field, InputCodes.Invalid(field), message);

    public void Add(string field, string code, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add((code, message));
    }

    /// <summary>A required input that is missing.</summary>
    public void AddRequired(string field) => Add(field, InputCodes.Required(field), $"'{field}' is required.");

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Message).ToArray(), StringComparer.Ordinal);

    /// <summary>The codes of <see cref="ToDictionary"/>'s messages, field by field, in the same order.</summary>
    public Dictionary<string, string[]> Codes() => _errors.ToDictionary(e => e.Key, e => e.Value.Select(m => m.Code).ToArray(), StringComparer.Ordinal);
}
