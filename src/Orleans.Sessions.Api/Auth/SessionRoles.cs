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

    /// <summary><c>sessions:admin</c>: operating the service — the Orleans dashboard (with a key of every tenant).</summary>
    Admin = 16,

    /// <summary><c>sessions:events</c>: the tenant's event feed.</summary>
    Events = 32,

    All = Write | Read | ReadAll | Revoke | Admin | Events,
}

public static class SessionRoleNames
{
    public const string Write = "sessions:write";
    public const string Read = "sessions:read";
    public const string ReadAll = "sessions:read-all";
    public const string Revoke = "sessions:revoke";
    public const string Admin = "sessions:admin";
    public const string Events = "sessions:events";

    public static FrozenDictionary<string, SessionRoles> ByName { get; } = new Dictionary<string, SessionRoles>(StringComparer.Ordinal)
    {
        [Write] = SessionRoles.Write,
        [Read] = SessionRoles.Read,
        [ReadAll] = SessionRoles.ReadAll,
        [Revoke] = SessionRoles.Revoke,
        [Admin] = SessionRoles.Admin,
        [Events] = SessionRoles.Events,
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
