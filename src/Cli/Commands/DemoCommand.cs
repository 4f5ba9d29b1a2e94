using System.CommandLine;
using Ferry.Cli.Local;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry demo push</c>: commits a change to the demo repository and sends GitHub's signed push webhook.</summary>
internal static class DemoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var state = new Option<string>("--state") { Description = "The state directory `ferry serve --demo` uses", DefaultValueFactory = _ => ".state" };
        var url = new Option<string>("--url") { Description = "Where `ferry serve` listens", DefaultValueFactory = _ => "http://127.0.0.1:7071/" };
        var push = new Command("push", "Commit a change to the demo repository and send its signed push webhook") { state, url };
        push.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var demo = DemoRepository.Open(parse.GetValue(state)!);
            var (before, after, file) = await demo.CommitChangeAsync(cancellationToken);
            output.WriteLine($"committed {after[..7]} ({file}) to {demo.RepositoryPath}");
            using var http = new HttpClient();
            var endpoint = new Uri(new Uri(parse.GetValue(url)!), "api/github");
            var (status, body) = await DemoRepository.SendWebhookAsync(http, endpoint, "push", DemoRepository.PushPayload(before, after, [file]), demo.Secret, cancellationToken);
            output.WriteLine($"webhook → {endpoint}: {status} {body}");
            return status is >= 200 and < 300 ? 0 : 1;
        });
        return new Command("demo", "The local demo's helpers") { push };
    }
}
