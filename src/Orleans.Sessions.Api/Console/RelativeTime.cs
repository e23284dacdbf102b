using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Orleans.Sessions.Api.Console;

/// <summary>
/// "Active 3 minutes ago" in the language the browser prefers (<c>Accept-Language</c>, by quality) among those the
/// console speaks — English, German, French, Spanish — English otherwise (docs/console.md, "Languages").
/// </summary>
public static class RelativeTime
{
    public static readonly IReadOnlyList<string> Languages = ["en", "de", "fr", "es"];

    /// <summary>The first language of <paramref name="acceptLanguage"/>, by quality, that the console speaks.</summary>
    public static string LanguageOf(string? acceptLanguage)
    {
        if (string.IsNullOrEmpty(acceptLanguage)
            || !StringWithQualityHeaderValue.TryParseList(acceptLanguage.Split(',', StringSplitOptions.RemoveEmptyEntries), out var ranges))
        {
            return "en";
        }

        foreach (var range in ranges.OrderByDescending(r => r.Quality ?? 1))
        {
            var primary = range.Value.Value?.Split('-')[0].ToLowerInvariant();
            if (primary is not null && Languages.Contains(primary) && range.Quality is not 0)
            {
                return primary;
            }
        }

        return "en";
    }

    /// <summary>How long ago <paramref name="then"/> was at <paramref name="now"/>, in <paramref name="language"/>.</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now, string language)
    {
        var elapsed = now - then;
        if (elapsed < TimeSpan.FromSeconds(45))
        {
            return language switch { "de" => "gerade eben", "fr" => "à l’instant", "es" => "ahora mismo", _ => "just now" };
        }

        var (count, unit) = elapsed switch
        {
            { TotalMinutes: < 59.5 } => ((int)Math.Max(1, Math.Round(elapsed.TotalMinutes)), Unit.Minute),
            { TotalHours: < 23.5 } => ((int)Math.Round(elapsed.TotalHours), Unit.Hour),
            _ => ((int)Math.Round(elapsed.TotalDays), Unit.Day),
        };
        var n = count.ToString(CultureInfo.InvariantCulture);
        var one = count == 1;
        return language switch
        {
            "de" => $"vor {n} {unit switch { Unit.Minute => one ? "Minute" : "Minuten", Unit.Hour => one ? "Stunde" : "Stunden", _ => one ? "Tag" : "Tagen" }}",
            "fr" => $"il y a {n} {unit switch { Unit.Minute => one ? "minute" : "minutes", Unit.Hour => one ? "heure" : "heures", _ => one ? "jour" : "jours" }}",
            "es" => $"hace {n} {unit switch { Unit.Minute => one ? "minuto" : "minutos", Unit.Hour => one ? "hora" : "horas", _ => one ? "día" : "días" }}",
            _ => $"{n} {unit switch { Unit.Minute => one ? "minute" : "minutes", Unit.Hour => one ? "hour" : "hours", _ => one ? "day" : "days" }} ago",
        };
    }

    /// <summary>"Active 3 minutes ago", in <paramref name="language"/>.</summary>
    public static string Active(DateTimeOffset then, DateTimeOffset now, string language) => language switch
    {
        "de" => $"Aktiv {Ago(then, now, language)}",
        "fr" => $"Actif {Ago(then, now, language)}",
        "es" => $"Activo {Ago(then, now, language)}",
        _ => $"Active {Ago(then, now, language)}",
    };

    private enum Unit
    {
        Minute,
        Hour,
        Day,
    }
}
