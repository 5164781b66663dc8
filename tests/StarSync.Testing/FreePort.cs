using System.Net;
using System.Net.Sockets;

namespace StarSync.Testing;

/// <summary>Finds a TCP port on 127.0.0.1 that nothing listens on right now.</summary>
public static class FreePort
{
    /// <summary>
    /// Binds port 0 on the loopback interface, reads the port the kernel chose and releases it. Another process can
    /// take the port before the caller binds it, so servers started on it retry with a new port when the bind fails.
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
