using System.CommandLine;
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
        using var stop = new CancellationTokenSource();
        var output = new ListeningWriter();

        var run = FerryCli.Build().Parse(["handler", "--state", state.Path, "--port", "0"]).InvokeAsync(new InvocationConfiguration { Output = output }, stop.Token);
        using var client = new HttpClient { BaseAddress = await output.ListeningAsync(run) };
        var body = await client.GetStringAsync("api/apps");
        await stop.CancelAsync();
        var exitCode = await run;

        Assert.Equal("guestbook", (string?)JsonNode.Parse(body)!.AsArray().Single()!["metadata"]!["name"]);
        Assert.Equal(0, exitCode);
    }
}
