using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Orleans.Sessions.Api.Console;

/// <summary>Says in a <c>Server-Timing</c> header how long a part of a page took on the server (what docs/console.md's figures read).</summary>
internal static class ServerTiming
{
    public static void Add(HttpContext http, string name, long startedTimestamp) =>
        http.Response.Headers.Append(
            "Server-Timing",
            string.Create(CultureInfo.InvariantCulture, $"{name};dur={Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds:0.0}"));
}
