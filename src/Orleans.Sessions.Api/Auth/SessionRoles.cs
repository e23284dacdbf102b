using System.Collections.Frozen;

namespace Orleans.Sessions.Api.Auth;

/// <summary>The roles an API key can hold (docs/security.md, "Roles").</summary>
[Flags]
public enum SessionRoles
{
    None = 0,

    /// <summary><c>sessions:write</c>: sign-on, re-authentication, activity, sign-out.</summary>
    Write = 1,

    /// <summary><c>sessions:read</c>: a user's sessions.</summary>
    Read = 2,

    /// <summary><c>sessions:read-all</c>: list-all and counts.</summary>
    ReadAll = 4,

    /// <summary><c>sessions:revoke</c>: end one or all of a user's sessions.</summary>
    Revoke = 8,

    All = Write | Read | ReadAll | Revoke,
}

public static class SessionRoleNames
{
    public const string Write = "sessions:write";
    public const string Read = "sessions:read";
    public const string ReadAll = "sessions:read-all";
    public const string Revoke = "sessions:revoke";

    public static FrozenDictionary<string, SessionRoles> ByName { get; } = new Dictionary<string, SessionRoles>(StringComparer.Ordinal)
    {
        [Write] = SessionRoles.Write,
        [Read] = SessionRoles.Read,
        [ReadAll] = SessionRoles.ReadAll,
        [Revoke] = SessionRoles.Revoke,
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
