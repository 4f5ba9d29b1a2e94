using System.Text;
using LibGit2Sharp;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Ferry.Core.Git.Ssh;

/// <summary>
/// <c>git-upload-pack '&lt;path&gt;'</c> on an SSH exec channel (SSH.NET): libgit2's reads come from the command's standard output and its
/// writes go to its standard input. The server's host key is checked before the private key is offered.
/// </summary>
internal sealed class SshUploadPackStream : SmartSubtransportStream
{
    private const int MaxErrorText = 2048;

    private readonly SshClient _client;
    private readonly SshCommand _command;
    private readonly Stream _input;
    private readonly SshEndpoint _endpoint;
    private readonly CancellationTokenRegistration _cancel;
    private byte[]? _first;
    private int _closed;

    private SshUploadPackStream(SmartSubtransport owner, SshClient client, SshCommand command, SshEndpoint endpoint, CancellationToken cancellationToken)
        : base(owner)
    {
        _client = client;
        _command = command;
        _endpoint = endpoint;
        _input = command.CreateInputStream();
        // A blocked read ends when the connection goes: that is how a cancelled or timed-out fetch stops.
        _cancel = cancellationToken.Register(CloseConnection);
    }

    /// <summary>Connects (checking the host key), authenticates with the operation's private key and starts <c>git-upload-pack</c>.</summary>
    public static SshUploadPackStream Open(SmartSubtransport owner, SshEndpoint endpoint, SshOperation operation)
    {
        var credentials = operation.Credentials;
        if (string.IsNullOrEmpty(credentials?.SshPrivateKey))
        {
            throw new SshTransportException($"no SSH private key is configured for {endpoint.Host}");
        }

        var key = LoadKey(credentials.SshPrivateKey, credentials.SshPassphrase);
        var info = new ConnectionInfo(endpoint.Host, endpoint.Port, endpoint.User, new PrivateKeyAuthenticationMethod(endpoint.User, key))
        {
            Timeout = operation.ConnectTimeout,
        };
        var knownHosts = credentials.SshInsecureIgnoreHostKey
            ? null
            : credentials.SshKnownHosts is { } configured ? SshKnownHosts.Parse(configured) : SshKnownHosts.FromUserFiles();
        string? refusedKey = null;
        var client = new SshClient(info);
        client.HostKeyReceived += (_, e) =>
        {
            e.CanTrust = knownHosts is null || knownHosts.Trusts(endpoint.KnownHostsName, e.FingerPrintSHA256);
            refusedKey = e.CanTrust ? null : e.FingerPrintSHA256;
        };
        try
        {
            operation.CancellationToken.ThrowIfCancellationRequested();
            client.Connect();
            var command = client.CreateCommand(endpoint.UploadPackCommand());
            command.BeginExecute();
            var stream = new SshUploadPackStream(owner, client, command, endpoint, operation.CancellationToken);
            stream.ReadFirst();
            return stream;
        }
        catch (Exception ex) when (ex is SshException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            client.Dispose();
            throw ex switch
            {
                _ when refusedKey is not null => new SshTransportException(
                    $"the host key of {endpoint.KnownHostsName} (SHA256:{refusedKey}) is not among the known host keys; add it to the known hosts, or turn host key checking off"),
                SshAuthenticationException => new SshTransportException($"{endpoint.Host} refused the SSH private key for user '{endpoint.User}' (permission denied)"),
                _ => new SshTransportException($"could not connect to {endpoint.Host} port {endpoint.Port}: {FirstLine(ex.Message)}"),
            };
        }
    }

    /// <inheritdoc/>
    public override int Read(Stream dataStream, long length, out long bytesRead)
    {
        ArgumentNullException.ThrowIfNull(dataStream);
        if (_first is { } first)
        {
            _first = null;
            dataStream.Write(first);
            bytesRead = first.Length;
            return 0;
        }

        var buffer = new byte[(int)Math.Min(length, 65536)];
        var read = Volatile.Read(ref _closed) != 0 ? 0 : _command.OutputStream.Read(buffer, 0, buffer.Length);
        dataStream.Write(buffer, 0, read);
        bytesRead = read;
        return 0;
    }

    /// <inheritdoc/>
    public override int Write(Stream dataStream, long length)
    {
        ArgumentNullException.ThrowIfNull(dataStream);
        var buffer = new byte[(int)Math.Min(length, 65536)];
        var left = length;
        while (left > 0)
        {
            var read = dataStream.Read(buffer, 0, (int)Math.Min(left, buffer.Length));
            if (read == 0)
            {
                break;
            }

            _input.Write(buffer, 0, read);
            left -= read;
        }

        _input.Flush();
        return 0;
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        _cancel.Dispose();
        CloseConnection();
        base.Free();
    }

    /// <summary>
    /// The server speaks first (its reference advertisement): waiting for those bytes here turns a command that ends without a word of the
    /// protocol into a clear error while libgit2 still reports what the transport says (no such repository, no git on the server).
    /// </summary>
    private void ReadFirst()
    {
        var buffer = new byte[65536];
        var read = _command.OutputStream.Read(buffer, 0, buffer.Length);
        if (read == 0)
        {
            var error = ErrorText();
            CloseConnection();
            throw new SshTransportException($"git-upload-pack on {_endpoint.Host} failed: {error}");
        }

        _first = buffer[..read];
    }

    private static PrivateKeyFile LoadKey(string privateKey, string? passphrase)
    {
        var text = privateKey.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";
        try
        {
            using var stream = new MemoryStream(Encoding.ASCII.GetBytes(text));
            return string.IsNullOrEmpty(passphrase) ? new PrivateKeyFile(stream) : new PrivateKeyFile(stream, passphrase);
        }
        catch (Exception ex) when (ex is SshException or ArgumentException or FormatException or InvalidOperationException or NotSupportedException or System.Security.Cryptography.CryptographicException)
        {
            // Never the library's message: it could quote the key.
            throw new SshTransportException(ex is SshPassPhraseNullOrEmptyException
                ? "the SSH private key is encrypted and no passphrase is configured"
                : "the SSH private key could not be read (not an OpenSSH or PEM private key, or a wrong passphrase)");
        }
    }

    private string ErrorText()
    {
        try
        {
            var text = new StringBuilder();
            var buffer = new byte[512];
            int read;
            while (text.Length < MaxErrorText && (read = _command.ExtendedOutputStream.Read(buffer, 0, buffer.Length)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            var message = text.ToString().Trim();
            return message.Length == 0 ? "the command ended without answering" : message.ReplaceLineEndings(" ");
        }
        catch (ObjectDisposedException)
        {
            return "the connection was closed";
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private void CloseConnection()
    {
        // Free and a cancellation may both close the connection, from different threads.
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _input.Dispose();
        _command.Dispose();
        _client.Dispose();
    }
}
