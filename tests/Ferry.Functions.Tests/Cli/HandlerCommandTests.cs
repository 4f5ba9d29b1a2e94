using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Ferry.Core.Status;
using Ferry.Cli.Commands;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Cli;

public sealed class HandlerCommandTests
{
    [Fact]
    public void Build_HasHandlerVerbWithStateAndPort()
    {
        var handler = Assert.Single(FerryCli.Build().Subcommands, c => c.Name == "handler");

        Assert.Contains(handler.Options, o => o.Name == "--state");
        Assert.Contains(handler.Options, o => o.Name == "--port");
    }

    [Fact]
    public async Task Handler_Run_ServesStatusFromTheStateDirectoryUntilCancelled()
    {
        using var state = new TempDirectory();
        await new FileStatusStore(state.Path).SaveAsync(SampleStatuses.Guestbook, CancellationToken.None);
        var port = FreePort();
        using var stop = new CancellationTokenSource();

        var run = FerryCli.Build().Parse(["handler", "--state", state.Path, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]).InvokeAsync(cancellationToken: stop.Token);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var body = await GetWhenListeningAsync(client, "api/apps", run);
        await stop.CancelAsync();
        var exitCode = await run;

        Assert.Equal("guestbook", (string?)JsonNode.Parse(body)!.AsArray().Single()!["metadata"]!["name"]);
        Assert.Equal(0, exitCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The verb starts asynchronously: retry on connection refused until it listens or the run ends.
    private static async Task<string> GetWhenListeningAsync(HttpClient client, string path, Task<int> run)
    {
        while (true)
        {
            try
            {
                return await client.GetStringAsync(path);
            }
            catch (HttpRequestException) when (!run.IsCompleted)
            {
                await Task.Delay(50);
            }
        }
    }
}
