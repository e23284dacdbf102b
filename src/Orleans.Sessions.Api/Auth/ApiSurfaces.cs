using Microsoft.AspNetCore.Http;
using Orleans.Sessions.Api.MonoCloud;
using Orleans.Sessions.Api.PingOne;
using Orleans.Sessions.Api.RocketChat;
using Orleans.Sessions.Api.Symphony;
using Orleans.Sessions.Api.WorkOs;

namespace Orleans.Sessions.Api.Auth;

/// <summary>
/// The seed APIs' surfaces by the paths they are served under, for the requests that routing answers without reaching
/// one of their endpoints — a body that is not JSON (415), a method the path does not take (405) — so that those are
/// answered in the surface's own error shape too.
/// </summary>
internal static class ApiSurfaces
{
    private static readonly (string Prefix, ApiSurface Surface)[] ByPrefix =
    [
        ("/pod/v1", SymphonySurface.Instance),
        ("/v1/environments", PingOneSurface.Instance),
        ("/user_management", WorkOsSurface.Instance),
        ("/api/v1/sessions", RocketChatSurface.Instance),
        ("/api/users", MonoCloudSurface.Instance),
    ];

    /// <summary>The surface whose paths <paramref name="path"/> is under, if any.</summary>
    public static ApiSurface? ByPath(PathString path) =>
        ByPrefix.FirstOrDefault(s => path.StartsWithSegments(s.Prefix, StringComparison.Ordinal)).Surface;
}
