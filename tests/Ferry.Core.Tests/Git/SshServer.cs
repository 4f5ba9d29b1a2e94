using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ferry.Core.Tests.Git;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 (port 0): each accepted connection is handed to its own <c>sshd -i</c> (inetd mode, as the
/// current user, with a temporary host key, <c>authorized_keys</c> and <c>sshd_config</c>), whose sessions run the real
/// <c>git-upload-pack</c>. Needs Debian's <c>openssh-server</c> (and, as root, its <c>/run/sshd</c> privilege separation folder).
/// </summary>
internal sealed class SshServer : IAsyncDisposable
{
    public const string Sshd = "/usr/sbin/sshd";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Process> _processes = [];
    private readonly StringBuilder _log = new();
    private readonly string _config;
    private readonly Task _loop;

    private SshServer(string folder)
    {
        Folder = folder;
        var hostKey = Path.Combine(folder, "host_ed25519");
        KeyGen(hostKey, passphrase: string.Empty, "ed25519");
        HostPublicKey = File.ReadAllText(hostKey + ".pub").Trim();
        var client = Path.Combine(folder, "client_ed25519");
        KeyGen(client, passphrase: string.Empty, "ed25519");
        ClientPrivateKey = File.ReadAllText(client);
        File.WriteAllText(Path.Combine(folder, "authorized_keys"), File.ReadAllText(client + ".pub"));
        _config = Path.Combine(folder, "sshd_config");
        File.WriteAllText(_config, string.Join('\n',
            $"HostKey {hostKey}",
            $"AuthorizedKeysFile {Path.Combine(folder, "authorized_keys")}",
            "StrictModes no",
            "PubkeyAuthentication yes",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PermitRootLogin prohibit-password",
            "UsePAM no",
            "PidFile none",
            "LogLevel VERBOSE",
            string.Empty));
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The server's temporary folder (keys, configuration).</summary>
    public string Folder { get; }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The host's public key line (<c>ssh-ed25519 AAAA… comment</c>).</summary>
    public string HostPublicKey { get; }

    /// <summary>The known_hosts line for this server.</summary>
    public string KnownHostsLine => $"[127.0.0.1]:{Port} {string.Join(' ', HostPublicKey.Split(' ').Take(2))}";

    /// <summary>The private key (OpenSSH format) that <c>authorized_keys</c> accepts.</summary>
    public string ClientPrivateKey { get; }

    /// <summary>What the sshd processes said on stderr, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server in a new temporary folder under <paramref name="parent"/>.</summary>
    public static SshServer Start(string parent)
    {
        if (!File.Exists(Sshd))
        {
            throw new InvalidOperationException($"{Sshd} is missing: install Debian's openssh-server (.ci/run does)");
        }

        return new SshServer(Directory.CreateDirectory(Path.Combine(parent, "sshd-" + Guid.NewGuid().ToString("N")[..8])).FullName);
    }

    /// <summary>The URL of a repository folder on this server, as the current user.</summary>
    public string Url(string path) => $"ssh://{Environment.UserName}@127.0.0.1:{Port}{path}";

    /// <summary>Generates a key pair with ssh-keygen (the test side may use OpenSSH's tools).</summary>
    public static void KeyGen(string file, string passphrase, string type = "ed25519")
    {
        var info = new ProcessStartInfo("ssh-keygen") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-q", "-t", type, "-N", passphrase, "-C", "ferry-test", "-f", file })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ssh-keygen failed: {error}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    /// <summary>One connection: bytes from the socket to sshd's stdin, from its stdout to the socket, until either side ends.</summary>
    private async Task ServeAsync(Socket socket)
    {
        using var network = new NetworkStream(socket, ownsSocket: true);
        var info = new ProcessStartInfo(Sshd) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-i", "-e", "-f", _config })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        _processes.Add(process);
        var errors = Task.Run(async () =>
        {
            var text = await process.StandardError.ReadToEndAsync();
            lock (_log)
            {
                _log.Append(text);
            }
        });
        var toServer = Task.Run(async () =>
        {
            try
            {
                await network.CopyToAsync(process.StandardInput.BaseStream);
            }
            catch (IOException)
            {
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // sshd already exited.
                }
            }
        });
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(network);
        }
        catch (IOException)
        {
        }

        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The client is gone already.
        }

        await process.WaitForExitAsync();
        await errors;
        socket.Close();
        await toServer;
    }
}
