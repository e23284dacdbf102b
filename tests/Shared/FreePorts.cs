using System.Net;
using System.Net.Sockets;

namespace Orleans.Sessions.Testing;

/// <summary>
/// Ports for servers that tests start. They are drawn below Linux's ephemeral range (32768–60999), so the
/// outgoing connections of the tests themselves cannot take a port between its check and its use.
/// </summary>
internal static class FreePorts
{
    private const int First = 15000;
    private const int End = 32000;

    public static int Next()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(First, End);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken; draw again.
            }
        }

        throw new InvalidOperationException($"No free port between {First} and {End} after 200 attempts.");
    }
}
