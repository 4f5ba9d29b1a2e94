using System.CommandLine;
using Ferry.Cli.Commands;
using Ferry.Functions.Tests.TestSupport;

namespace Ferry.Functions.Tests.Local;

/// <summary><c>ferry serve --apps</c> over a catalog with an invalid Application or a typo: said at start and on the page, each file named with its folder.</summary>
public sealed class ServeCatalogTests
{
    [Fact]
    public async Task Serve_InvalidApplication_SaysSoAtStartAndOnThePage()
    {
        using var dir = new Ferry.Core.Tests.TestSupport.TempDirectory();
        var apps = Path.Combine(dir.Path, "apps");
        dir.Write("apps/team/broken.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: broken}\nspec:\n  source: {repoURL: https://github.com/acme/x}\n");
        dir.Write("apps/typo.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: typo}\nspec:\n  source: {repoURL: https://github.com/acme/x, pth: web}\n  destination: {server: https://kubernetes.default.svc}\n");
        var expected = $"{apps}/team/broken.yaml:4: spec.destination: is required";

        var (start, page) = await ServeAndGetPageAsync(apps, Path.Combine(dir.Path, "state"));

        Assert.Contains($"the apps catalog {apps} is invalid", start, StringComparison.Ordinal);
        Assert.Contains($"error: {expected}", start, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"catalog-errors\"", page, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(expected), page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UnknownField_WarnsAtStartAndOnThePage()
    {
        using var dir = new Ferry.Core.Tests.TestSupport.TempDirectory();
        var apps = Path.Combine(dir.Path, "apps");
        dir.Write("apps/typo.yaml", "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: typo}\nspec:\n  source: {repoURL: https://github.com/acme/x}\n  destination: {server: https://kubernetes.default.svc}\n  syncPolicy:\n    automated: {selfheal: true}\n");
        var expected = $"{apps}/typo.yaml:8: spec.syncPolicy.automated.selfheal: unknown field (did you mean &#x27;selfHeal&#x27;?); kept but not used by Ferry";

        var (start, page) = await ServeAndGetPageAsync(apps, Path.Combine(dir.Path, "state"));

        Assert.Contains($"warning: {System.Net.WebUtility.HtmlDecode(expected)}", start, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid", start, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"catalog-warnings\"", page, StringComparison.Ordinal);
        Assert.Contains(expected, page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"catalog-errors\"", page, StringComparison.Ordinal);
    }

    private static async Task<(string Start, string Page)> ServeAndGetPageAsync(string apps, string state)
    {
        var output = new ListeningWriter();
        var error = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = FerryCli.InvokeAsync(["serve", "--port", "0", "--apps", apps, "--state", state, "--drift-seconds", "3600"], new InvocationConfiguration { Output = output, Error = error }, stop.Token);
        string page;
        try
        {
            using var http = new HttpClient { BaseAddress = await output.ListeningAsync(run) };
            page = await http.GetStringAsync("/");
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(0, await run);
        return (error + output.Text, page);
    }
}
