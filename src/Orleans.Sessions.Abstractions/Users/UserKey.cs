using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Orleans.Sessions.Users;

/// <summary>Tenant and user ids (docs/sessions.md, "Ids") and the user grain key built from them.</summary>
public static class UserKey
{
    public const int MaxIdLength = 128;

    /// <summary>The grain that holds <paramref name="userId"/>'s sessions in <paramref name="tenant"/>.</summary>
    public static IUserSessionsGrain UserSessions(this IGrainFactory grains, string tenant, string userId) =>
        GrainReferences<IUserSessionsGrain>.Get(grains, Format(tenant, userId));

    private static readonly SearchValues<char> IdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@:-");

    /// <summary>True when <paramref name="value"/> is 1–128 characters of <c>[A-Za-z0-9._@:-]</c>.</summary>
    public static bool IsValidId([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && !value.AsSpan().ContainsAnyExcept(IdChars);

    /// <summary>The user grain key. Tenant ids cannot contain '/', so the first '/' splits the key.</summary>
    public static string Format(string tenant, string userId) => $"{tenant}/{userId}";

    public static (string Tenant, string UserId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a user key of the form tenant/userId.", nameof(key));
        }

        return (key[..slash], key[(slash + 1)..]);
    }
}
