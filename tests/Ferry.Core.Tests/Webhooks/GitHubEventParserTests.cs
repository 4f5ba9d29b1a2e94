using System.Net;
using System.Text;
using Ferry.Core.Webhooks;

namespace Ferry.Core.Tests.Webhooks;

public class GitHubEventParserTests
{
    [Fact]
    public void Parse_BranchPush_ReadsRefsRepositoryAndChangedFiles()
    {
        var push = WebhookTestData.Push("push-main.json");

        Assert.Equal("refs/heads/main", push.Ref);
        Assert.Equal("6113728f27ae82c7b1a177c8d03f9e96e0adf246", push.Before);
        Assert.Equal("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", push.After);
        Assert.Equal("0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c", push.HeadCommitId);
        Assert.False(push.Deleted);
        Assert.False(push.Created);
        Assert.Equal(
            new GitHubRepository
            {
                FullName = "Octo-Org/Shop",
                HtmlUrl = "https://github.com/Octo-Org/Shop",
                CloneUrl = "https://github.com/Octo-Org/Shop.git",
                SshUrl = "git@github.com:Octo-Org/Shop.git",
                GitUrl = "git://github.com/Octo-Org/Shop.git",
                DefaultBranch = "main",
            },
            push.Repository);
        Assert.Equal(
            ["README.md", "apps/cron/cronjob.yaml", "apps/web/deployment.yaml", "apps/worker/deployment.yaml", "apps/worker/kustomization.yaml"],
            push.ChangedFiles);
    }

    [Theory]
    [InlineData("few commits, few files", 2, 3, true)]
    [InlineData("GitHub's commit cap reached", GitHubEventParser.TruncatedCommits, 1, false)]
    [InlineData("one commit at the file cap", 1, GitHubEventParser.TruncatedFiles, false)]
    [InlineData("one commit just under the file cap", 1, GitHubEventParser.TruncatedFiles - 1, true)]
    public void Parse_LargePush_SaysWhetherItsChangedFilesMayBeIncomplete(string row, int commits, int filesPerCommit, bool complete)
    {
        var payload = System.Text.Json.Nodes.JsonNode.Parse(WebhookTestData.Bytes("push-main.json"))!.AsObject();
        var list = new System.Text.Json.Nodes.JsonArray();
        for (var c = 0; c < commits; c++)
        {
            var files = new System.Text.Json.Nodes.JsonArray();
            for (var f = 0; f < filesPerCommit; f++)
            {
                files.Add($"apps/app-{c}/file-{f}.yaml");
            }

            list.Add(new System.Text.Json.Nodes.JsonObject { ["id"] = $"{c:x40}", ["added"] = new System.Text.Json.Nodes.JsonArray(), ["modified"] = files, ["removed"] = new System.Text.Json.Nodes.JsonArray() });
        }

        payload["commits"] = list;
        payload.Remove("head_commit");

        var push = Assert.IsType<GitHubPush>(GitHubEventParser.Parse("push", Encoding.UTF8.GetBytes(payload.ToJsonString())));

        Assert.True(complete == push.ChangedFilesComplete, row);
        Assert.Equal(commits * filesPerCommit, push.ChangedFiles.Count);
    }

    [Fact]
    public void Parse_TagPushWithoutCommits_ListsNoChangedFiles()
    {
        var push = WebhookTestData.Push("push-tag.json");

        Assert.Equal("refs/tags/v1.4.0", push.Ref);
        Assert.True(push.Created);
        Assert.Empty(push.ChangedFiles);
    }

    [Fact]
    public void Parse_BranchDeletion_Deleted()
    {
        var push = WebhookTestData.Push("push-delete.json");

        Assert.True(push.Deleted);
        Assert.Equal("0000000000000000000000000000000000000000", push.After);
        Assert.Null(push.HeadCommitId);
        Assert.Empty(push.ChangedFiles);
    }

    [Fact]
    public void Parse_Ping_ZenHookIdRepository()
    {
        var ping = Assert.IsType<GitHubPing>(GitHubEventParser.Parse("ping", WebhookTestData.Bytes("ping.json")));

        Assert.Equal("Design for failure.", ping.Zen);
        Assert.Equal(482915037, ping.HookId);
        Assert.Equal("Octo-Org/Shop", ping.Repository?.FullName);
    }

    [Fact]
    public void Parse_FormEncodedPayload_SameAsJson()
    {
        var json = Encoding.UTF8.GetString(WebhookTestData.Bytes("push-main.json"));
        var form = Encoding.UTF8.GetBytes("payload=" + WebUtility.UrlEncode(json));

        var push = Assert.IsType<GitHubPush>(GitHubEventParser.Parse("push", form));

        Assert.Equal(WebhookTestData.Push("push-main.json").ChangedFiles, push.ChangedFiles);
        Assert.Equal("refs/heads/main", push.Ref);
    }

    [Fact]
    public void Parse_OverGitHubsLimit_Malformed()
    {
        var body = new byte[GitHubEventParser.MaxPayloadBytes + 1];

        var outcome = GitHubEventParser.Parse("push", body);

        Assert.Equal(new GitHubMalformedEvent($"the payload is larger than {GitHubEventParser.MaxPayloadBytes} bytes"), outcome);
    }

    [Theory]
    [InlineData("pull_request")]
    [InlineData("issues")]
    [InlineData("release")]
    [InlineData("Push")]
    public void Parse_OtherEvent_Ignored(string eventName)
    {
        var outcome = GitHubEventParser.Parse(eventName, "{}"u8);

        Assert.Equal(new GitHubIgnoredEvent(eventName), outcome);
    }

    [Theory]
    [InlineData("no-event-header", null, """{"ref":"refs/heads/main"}""", "X-GitHub-Event header is missing")]
    [InlineData("empty-body", "push", "", "not valid JSON")]
    [InlineData("truncated-json", "push", """{"ref":"refs/heads/main",""", "not valid JSON")]
    [InlineData("array", "push", "[]", "not a JSON object")]
    [InlineData("ping-not-object", "ping", "\"hello\"", "not a JSON object")]
    [InlineData("no-ref", "push", """{"after":"abc","repository":{"html_url":"https://github.com/o/r"}}""", "no \"ref\"")]
    [InlineData("ref-not-string", "push", """{"ref":7,"after":"abc","repository":{"html_url":"https://github.com/o/r"}}""", "no \"ref\"")]
    [InlineData("no-after", "push", """{"ref":"refs/heads/main","repository":{"html_url":"https://github.com/o/r"}}""", "no \"after\"")]
    [InlineData("no-repository", "push", """{"ref":"refs/heads/main","after":"abc"}""", "no \"repository\"")]
    [InlineData("repository-without-urls", "push", """{"ref":"refs/heads/main","after":"abc","repository":{"full_name":"o/r"}}""", "no URL")]
    public void Parse_Malformed_ClearError(string row, string? eventName, string body, string expected)
    {
        var outcome = GitHubEventParser.Parse(eventName, Encoding.UTF8.GetBytes(body));

        var malformed = Assert.IsType<GitHubMalformedEvent>(outcome);
        Assert.True(malformed.Error.Contains(expected, StringComparison.Ordinal), $"{row}: {malformed.Error}");
    }
}
