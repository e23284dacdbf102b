namespace Orleans.Sessions.Api.Http;

/// <summary>
/// The machine codes of validation errors: snake_case, named after the rule that failed and, for the generic
/// rules, the field (<c>session_id_required</c>, <c>limit_out_of_range</c>, <c>invalid_order</c>).
/// </summary>
public static class InputCodes
{
    public const string InvalidSessionId = "invalid_session_id";
    public const string InvalidCursor = "invalid_cursor";
    public const string ConflictingCursors = "conflicting_cursors";

    public static string Required(string field) => Name(field) + "_required";

    public static string OutOfRange(string field) => Name(field) + "_out_of_range";

    /// <summary>A value that is not even of its type (a number that is no number): a malformed request, not an invalid value.</summary>
    public static string Malformed(string field) => "malformed_" + Name(field);

    public static string Invalid(string field) => "invalid_" + Name(field);

    /// <summary>A field name in snake_case, anything but letters and digits as '_' (<c>location.countryCode</c> → <c>location_country_code</c>).</summary>
    private static string Name(string field)
    {
        var snake = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(field);
        return string.Create(snake.Length, snake, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsAsciiLetterOrDigit(text[i]) ? text[i] : '_';
            }
        });
    }
}
