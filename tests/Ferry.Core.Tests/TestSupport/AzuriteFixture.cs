using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Ferry.Core.Storage;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>Starts a real Azurite (blob + queue, in memory) on free 127.0.0.1 ports for the storage tests, and kills it afterwards.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly StringBuilder output = new();
    private Process? process;
    private string? workspace;

    /// <summary>The blob service port.</summary>
    public int BlobPort { get; private set; }

    /// <summary>The queue service port.</summary>
    public int QueuePort { get; private set; }

    /// <summary>A connection string for Azurite's development account on this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={StorageConnectionParser.DevelopmentAccountName};AccountKey={StorageConnectionParser.DevelopmentAccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{StorageConnectionParser.DevelopmentAccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{StorageConnectionParser.DevelopmentAccountName};";

    /// <summary>The parsed development-account connection.</summary>
    public StorageConnection Connection => StorageConnection.Parse(ConnectionString);

    /// <summary>One client shared by the tests, as production code shares one.</summary>
    public HttpClient HttpClient { get; } = new();

    public async Task InitializeAsync()
    {
        var executable = FindOnPath("azurite")
            ?? throw new InvalidOperationException("azurite is not on PATH; the storage tests need it: npm install -g azurite");

        BlobPort = FreePort();
        QueuePort = FreePort();
        var tablePort = FreePort();
        workspace = Directory.CreateTempSubdirectory("ferry-azurite-").FullName;

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", $"{BlobPort}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{QueuePort}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{tablePort}"])
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("azurite did not start");
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await AnswersAsync(BlobPort) || !await AnswersAsync(QueuePort))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"azurite exited with code {process.ExitCode}: {Output()}");
            }

            if (deadline.IsCancellationRequested)
            {
                throw new InvalidOperationException($"azurite did not answer on ports {BlobPort}/{QueuePort} within 60 s: {Output()}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        HttpClient.Dispose();
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (workspace is not null)
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    /// <summary>A name unique to one test, valid for both queues and containers.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
