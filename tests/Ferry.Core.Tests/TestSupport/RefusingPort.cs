using System.Net;
using System.Net.Sockets;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>
/// A 127.0.0.1 port where connections are refused: a socket bound to port 0 but never listening holds the port for the
/// test's lifetime, so no other test or process can start listening there meanwhile.
/// </summary>
internal sealed class RefusingPort : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    /// <summary>The held port.</summary>
    public int Port { get; }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
