using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orleans.Sessions.Api.Auth;
using Orleans.Sessions.Auth;

namespace Orleans.Sessions.Api.Console.Admin;

/// <summary>
/// Administrators' console sign-ins (docs/console.md, "Administration"). The API key stays on the server: the cookie
/// carries only a random handle, and the sign-in grain the handle's SHA-256 names keeps the key's hash. Every request
/// asks the grain (which counts it as use, for the idle timeout) and then the key ring, so a key removed from
/// configuration or given a new secret ends its sign-ins, and a key's roles are always its current ones.
/// </summary>
public sealed class AdminSignIns(IGrainFactory grains, ApiKeyRing keys, IOptionsMonitor<ConsoleOptions> options)
{
    /// <summary>The cookie that carries the handle: <c>__Host-</c>, so only this host over HTTPS, path <c>/</c>.</summary>
    public const string CookieName = "__Host-sessions-admin";

    private const int HandleBytes = 32;
    private static readonly object CallerItem = new();

    /// <summary>Signs in with the key whose secret hashes to <paramref name="keyHash"/>: a new handle, in a new cookie (the browser's old one ended).</summary>
    public async Task BeginAsync(HttpContext http, byte[] keyHash)
    {
        if (HandleOf(http) is { } previous)
        {
            // A sign-in over another in the same browser: the old handle ends rather than idles out.
            await Grain(previous).EndAsync();
        }

        var handle = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(HandleBytes));
        var current = options.CurrentValue;
        await Grain(handle).BeginAsync(keyHash, new ConsoleSignInTerms(current.AdminIdleTimeout, current.AdminMaxLifetime));
        http.Response.Cookies.Append(CookieName, handle, ConsoleEndpoints.HostCookie());
    }

    /// <summary>The key the request's sign-in was made with, while the sign-in lasts and the key is still configured.</summary>
    public async ValueTask<Caller?> CallerAsync(HttpContext http)
    {
        if (http.Items.TryGetValue(CallerItem, out var known))
        {
            return known as Caller;
        }

        Caller? caller = null;
        if (HandleOf(http) is { } handle && await Grain(handle).UseAsync() is { } keyHash)
        {
            caller = keys.AuthenticateHash(keyHash);
        }

        http.Items[CallerItem] = caller;
        return caller;
    }

    /// <summary>Ends the request's sign-in, if any, and its cookie.</summary>
    public async Task EndAsync(HttpContext http)
    {
        if (HandleOf(http) is { } handle)
        {
            await Grain(handle).EndAsync();
        }

        Forget(http);
    }

    /// <summary>Removes the cookie (its sign-in has ended).</summary>
    public static void Forget(HttpContext http) => http.Response.Cookies.Delete(CookieName, ConsoleEndpoints.HostCookie());

    private static string? HandleOf(HttpContext http) =>
        http.Request.Cookies.TryGetValue(CookieName, out var handle) && handle is { Length: > 0 and <= 64 } ? handle : null;

    private IConsoleSignInGrain Grain(string handle) =>
        grains.GetGrain<IConsoleSignInGrain>(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(handle))));
}
