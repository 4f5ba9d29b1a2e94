using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Ferry.Core.Storage;

namespace Ferry.Core.Tests.TestSupport;

/// <summary>
/// Starts a real Azurite (blob + queue, in memory) for the storage tests and kills it afterwards. Azurite binds port 0 itself
/// and prints the port it got, so no port is picked in advance (no race with other processes for a "free" port).
/// </summary>
public sealed partial class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account (published in Azure's docs; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<int> blobPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> queuePort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? process;
    private string? workspace;

    /// <summary>The blob service port.</summary>
    public int BlobPort { get; private set; }

    /// <summary>The queue service port.</summary>
    public int QueuePort { get; private set; }

    /// <summary>A connection string for Azurite's development account on this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};";

    /// <summary>The account's clients as production code makes them from a connection string.</summary>
    public StorageAccount Account => StorageAccount.FromConnectionString(ConnectionString);

    public async Task InitializeAsync()
    {
        var executable = FindOnPath("azurite")
            ?? throw new InvalidOperationException("azurite is not on PATH; the storage tests need it: npm install -g azurite");
        workspace = Directory.CreateTempSubdirectory("ferry-azurite-").FullName;

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Azurite 3.35 refuses the Azure SDK's newest service version unless told not to check it.
        foreach (var argument in (string[])[
            "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0"])
        {
            start.ArgumentList.Add(argument);
        }

        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Exited += (_, _) =>
        {
            var error = new InvalidOperationException($"azurite exited before listening: {Output()}");
            blobPort.TrySetException(error);
            queuePort.TrySetException(error);
        };
        if (!process.Start())
        {
            throw new InvalidOperationException("azurite did not start");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Only a guard against a hung process: the ports come from Azurite's own "listening at" lines.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            BlobPort = await blobPort.Task.WaitAsync(guard.Token);
            QueuePort = await queuePort.Task.WaitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"azurite did not report its ports within 60 s: {Output()}");
        }
    }

    public async Task DisposeAsync()
    {
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

        // "Azurite Blob service is successfully listening at http://127.0.0.1:41234"
        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            (match.Groups["service"].Value == "Blob" ? blobPort : match.Groups["service"].Value == "Queue" ? queuePort : null)?.TrySetResult(port);
        }
    }

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at http://127\.0\.0\.1:(?<port>\d+)")]
    private static partial Regex ListeningLine();

    private string Output()
    {
        lock (output)
        {
            return output.ToString();
        }
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
