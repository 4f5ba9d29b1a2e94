using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Webhooks;
using LibGit2Sharp;

namespace Ferry.Cli.Local;

/// <summary>
/// The demo's Git side: a real local repository holding the guestbook example, served to Ferry under a
/// real-looking GitHub URL (git's <c>url.&lt;base&gt;.insteadOf</c>), and a push that sends GitHub's signed webhook.
/// </summary>
internal sealed class DemoRepository
{
    /// <summary>The URL the demo app and the webhook payloads use.</summary>
    public const string RepoUrl = "https://github.com/ferry-demo/guestbook";

    private DemoRepository(string root)
    {
        Root = root;
    }

    /// <summary>The demo folder under the state directory.</summary>
    public string Root { get; }

    /// <summary>The working repository.</summary>
    public string RepositoryPath => Path.Combine(Root, "repo");

    /// <summary>The apps directory (one Application).</summary>
    public string AppsPath => Path.Combine(Root, "apps");

    /// <summary>The clusters file naming the demo's cluster, present while <c>serve --demo</c> runs.</summary>
    public string ClustersPath => Path.Combine(Root, "clusters.yaml");

    /// <summary>The kubeconfig of the simulated cluster, present while <c>serve --demo</c> runs it.</summary>
    public string KubeconfigPath => Path.Combine(Root, "kubeconfig");

    /// <summary>The process id of the <c>serve --demo</c> running on this state, present while it runs.</summary>
    public string ServePidPath => Path.Combine(Root, "serve.pid");

    /// <summary>Whether a <c>serve --demo</c> on this state is running: it wrote the demo's clusters file and its process is alive (not killed before cleaning up).</summary>
    public bool IsServing => File.Exists(ClustersPath) && ServerAlive();

    /// <summary>The webhook secret the demo signs with.</summary>
    public string Secret => File.ReadAllText(Path.Combine(Root, "webhook-secret")).Trim();

    /// <summary>Git configuration that serves the local repository under <see cref="RepoUrl"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> GitConfig =>
        [new($"url.file://{RepositoryPath}.insteadOf", RepoUrl)];

    /// <summary>Creates the demo repository, apps and secret under <paramref name="state"/> unless they exist.</summary>
    public static async Task<DemoRepository> EnsureAsync(string state, CancellationToken cancellationToken)
    {
        var demo = new DemoRepository(Path.Combine(Path.GetFullPath(state), "demo"));
        Directory.CreateDirectory(demo.Root);
        var secretFile = Path.Combine(demo.Root, "webhook-secret");
        if (!File.Exists(secretFile))
        {
            await File.WriteAllTextAsync(secretFile, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(), cancellationToken);
        }

        if (!Directory.Exists(Path.Combine(demo.RepositoryPath, ".git")))
        {
            var app = Path.Combine(demo.RepositoryPath, "guestbook");
            Directory.CreateDirectory(app);
            foreach (var (name, text) in Examples("examples/guestbook/"))
            {
                await File.WriteAllTextAsync(Path.Combine(app, name), text, cancellationToken);
            }

            Repository.Init(demo.RepositoryPath);
            // HEAD is unborn here, so no reference API can point it at a branch that has no commit yet; the first commit
            // then lands on main whatever init.defaultBranch this machine has.
            await File.WriteAllTextAsync(Path.Combine(demo.RepositoryPath, ".git", "HEAD"), "ref: refs/heads/main\n", cancellationToken);
            using (var repo = new Repository(demo.RepositoryPath))
            {
                repo.Config.Set("uploadpack.allowAnySHA1InWant", true);
            }

            CommitAll(demo.RepositoryPath, "guestbook: first version");
        }

        Directory.CreateDirectory(demo.AppsPath);
        foreach (var (name, text) in Examples("examples/apps/"))
        {
            var target = Path.Combine(demo.AppsPath, name);
            if (!File.Exists(target))
            {
                await File.WriteAllTextAsync(target, text, cancellationToken);
            }
        }

        return demo;
    }

    /// <summary>The process id <c>serve --demo</c> recorded, or null.</summary>
    public int? ServerProcessId
    {
        get
        {
            try
            {
                return int.TryParse(File.ReadAllText(ServePidPath).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private bool ServerAlive()
    {
        try
        {
            if (ServerProcessId is not { } pid)
            {
                return false;
            }

            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            // No pid file, or no such process: the server is gone.
            return false;
        }
    }

    /// <summary>The demo under <paramref name="state"/>, or null when <c>serve --demo</c> never ran there.</summary>
    public static DemoRepository? Find(string state)
    {
        var demo = new DemoRepository(Path.Combine(Path.GetFullPath(state), "demo"));
        return Directory.Exists(Path.Combine(demo.RepositoryPath, ".git")) && Directory.Exists(demo.AppsPath) ? demo : null;
    }

    /// <summary>Opens an existing demo under <paramref name="state"/>.</summary>
    public static DemoRepository Open(string state)
    {
        var demo = new DemoRepository(Path.Combine(Path.GetFullPath(state), "demo"));
        if (!Directory.Exists(Path.Combine(demo.RepositoryPath, ".git")))
        {
            throw new InvalidOperationException($"no demo under {demo.Root}: start `ferry serve --demo --state {state}` first");
        }

        return demo;
    }

    /// <summary>Changes the guestbook (bumps its version and greeting), commits, and returns the new commit and the changed file.</summary>
    public async Task<(string Before, string After, string File)> CommitChangeAsync(CancellationToken cancellationToken)
    {
        var before = await HeadAsync(cancellationToken);
        var relative = "guestbook/configmap.yaml";
        var path = Path.Combine(RepositoryPath, relative);
        var lines = (await File.ReadAllLinesAsync(path, cancellationToken)).ToList();
        var index = lines.FindIndex(l => l.TrimStart().StartsWith("version:", StringComparison.Ordinal));
        var version = index < 0 ? 1 : int.Parse(lines[index].Split('"')[1], CultureInfo.InvariantCulture) + 1;
        if (index >= 0)
        {
            lines[index] = $"  version: \"{version}\"";
        }

        await File.WriteAllLinesAsync(path, lines, cancellationToken);
        return (before, CommitAll(RepositoryPath, $"guestbook: version {version}"), relative);
    }

    /// <summary>The repository's HEAD commit.</summary>
    public Task<string> HeadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var repo = new Repository(RepositoryPath);
        return Task.FromResult(repo.Head.Tip.Sha);
    }

    /// <summary>A GitHub push payload for a commit, in GitHub's documented shape.</summary>
    public static byte[] PushPayload(string before, string after, IReadOnlyList<string> modified, string repoUrl = RepoUrl)
    {
        var fullName = new Uri(repoUrl).AbsolutePath.Trim('/');
        var commit = new JsonObject
        {
            ["id"] = after,
            ["message"] = "demo change",
            ["added"] = new JsonArray(),
            ["modified"] = new JsonArray([.. modified.Select(m => (JsonNode)m)]),
            ["removed"] = new JsonArray(),
        };
        var payload = new JsonObject
        {
            ["ref"] = "refs/heads/main",
            ["before"] = before,
            ["after"] = after,
            ["created"] = false,
            ["deleted"] = false,
            ["forced"] = false,
            ["repository"] = new JsonObject
            {
                ["name"] = fullName[(fullName.IndexOf('/') + 1)..],
                ["full_name"] = fullName,
                ["html_url"] = repoUrl,
                ["clone_url"] = repoUrl + ".git",
                ["ssh_url"] = $"git@github.com:{fullName}.git",
                ["default_branch"] = "main",
            },
            ["commits"] = new JsonArray(commit),
            ["head_commit"] = commit.DeepClone(),
        };
        return Encoding.UTF8.GetBytes(payload.ToJsonString());
    }

    /// <summary>Sends a signed GitHub delivery to a Ferry webhook endpoint.</summary>
    public static async Task<(int Status, string Body)> SendWebhookAsync(HttpClient http, Uri endpoint, string eventName, byte[] body, string? secret, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(GitHubHeaders.Event, eventName);
        request.Headers.Add(GitHubHeaders.Delivery, Guid.NewGuid().ToString());
        if (secret is not null)
        {
            request.Headers.Add(GitHubHeaders.Signature256, GitHubSignature.Compute(body, secret));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static IEnumerable<(string Name, string Text)> Examples(string prefix)
    {
        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..], reader.ReadToEnd());
        }
    }

    /// <summary>Stages every change in the working tree and commits it (in process, no git binary); returns the new commit.</summary>
    private static string CommitAll(string repository, string message)
    {
        using var repo = new Repository(repository);
        LibGit2Sharp.Commands.Stage(repo, "*");
        var author = new Signature("Ferry Demo", "demo@ferry.invalid", TimeProvider.System.GetUtcNow());
        return repo.Commit(message, author, author).Sha;
    }
}
