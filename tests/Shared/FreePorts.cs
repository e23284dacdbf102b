using System.Net;
using System.Net.Sockets;

namespace Orleans.Sessions.Testing;

/// <summary>
/// Ports for servers that tests start. They are drawn below Linux's ephemeral range (32768–60999), so the
/// outgoing connections of the tests themselves cannot take a port between its check and its use; and a port is
/// handed out once per test process, so two servers starting in parallel never draw the same free port between
/// one's check and its bind (a collision the random draw alone made likely over a thousand tests).
/// </summary>
internal static class FreePorts
{
    private const int First = 15000;
    private const int End = 32000;

    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, End);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken by another process; draw again (the port stays marked: it is not ours to give).
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {End} after 200 attempts.");
    }
}
