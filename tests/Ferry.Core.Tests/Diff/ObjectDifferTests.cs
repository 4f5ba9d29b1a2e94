using System.Text.Json.Nodes;
using Ferry.Core.Diff;
using Ferry.Core.Resources;
using Ferry.Core.Tests.TestSupport;
using Ferry.Core.Yaml;

namespace Ferry.Core.Tests.Diff;

public sealed class ObjectDifferTests
{
    private static readonly DiffOptions Options = new();

    [Fact]
    public void Compare_AppliedManifestAgainstWhatTheRealServerStored_IsSame()
    {
        // 022: the server defaulted fields and canonicalised 0.5Gi to 512Mi; none of that is drift.
        var desired = RecordedExchange.Request("022");
        var live = RecordedExchange.Load("022").Json;

        var result = ObjectDiffer.Compare(desired, live, Options);

        Assert.False(result.Modified, string.Join(", ", result.Paths));
    }

    [Fact]
    public void Compare_OlderManifestAgainstUpdatedLive_ReportsChangedFields()
    {
        var desired = RecordedExchange.Request("019");
        var live = RecordedExchange.Load("022").Json;

        var result = ObjectDiffer.Compare(desired, live, Options);

        Assert.True(result.Modified);
        Assert.Contains("/spec/replicas", result.Paths);
        Assert.Contains("/spec/template/spec/containers/0/image", result.Paths);
    }

    [Fact]
    public void Compare_LiveEditedByAnotherManager_IsDrift()
    {
        // 024/025: someone-else forced spec.replicas to 5 while Git says 3.
        var desired = RecordedExchange.Request("022");
        var live = RecordedExchange.Load("025").Json;

        var result = ObjectDiffer.Compare(desired, live, Options);

        Assert.Equal(["/spec/replicas"], result.Paths);
    }

    [Theory]
    [InlineData("managed-fields-manager")]
    [InlineData("json-pointer")]
    [InlineData("jq-path")]
    public void Compare_IgnoreDifferences_HidesTheEditedField(string rule)
    {
        var desired = RecordedExchange.Request("022");
        var live = RecordedExchange.Load("025").Json;
        var ignore = rule switch
        {
            "managed-fields-manager" => new IgnoreDifference { Group = "apps", Kind = "Deployment", ManagedFieldsManagers = ["someone-else"] },
            "json-pointer" => new IgnoreDifference { Group = "apps", Kind = "Deployment", JsonPointers = ["/spec/replicas"] },
            _ => new IgnoreDifference { Kind = "Deployment", JqPathExpressions = [".spec.replicas"] },
        };

        var result = ObjectDiffer.Compare(desired, live, new DiffOptions { IgnoreDifferences = [ignore] });

        Assert.False(result.Modified, string.Join(", ", result.Paths));
    }

    [Fact]
    public void Compare_IgnoreRuleForAnotherObject_StillReportsDrift()
    {
        var desired = RecordedExchange.Request("022");
        var live = RecordedExchange.Load("025").Json;
        var ignore = new IgnoreDifference { Group = "apps", Kind = "Deployment", Name = "other", JsonPointers = ["/spec/replicas"] };

        Assert.True(ObjectDiffer.Compare(desired, live, new DiffOptions { IgnoreDifferences = [ignore] }).Modified);
    }

    [Fact]
    public void Compare_FieldRemovedFromGitThatFerryOwns_IsDrift()
    {
        var desired = RecordedExchange.Request("022");
        ((JsonObject)desired["metadata"]!).Remove("labels");
        var live = RecordedExchange.Load("022").Json;

        var result = ObjectDiffer.Compare(desired, live, Options);

        Assert.Contains(result.Paths, p => p.StartsWith("/f:metadata/labels", StringComparison.Ordinal) || p.Contains("labels", StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_SecretStringDataAgainstStoredData_IsSame()
    {
        var desired = RecordedExchange.Request("030");
        var live = RecordedExchange.Load("030").Json;

        Assert.False(ObjectDiffer.Compare(desired, live, Options).Modified);
    }

    [Fact]
    public void Compare_ServiceAgainstDefaultedLive_IsSame()
    {
        var desired = RecordedExchange.Request("029");
        var live = RecordedExchange.Load("029").Json;

        var result = ObjectDiffer.Compare(desired, live, Options);

        Assert.False(result.Modified, string.Join(", ", result.Paths));
    }

    [Fact]
    public void Compare_Missing_IsModified()
    {
        Assert.True(ObjectDiffer.Compare(RecordedExchange.Request("019"), null, Options).Modified);
    }

    [Fact]
    public void SameAsDryRun_DryRunOfUnchangedManifest_EqualsLive()
    {
        // 020 answered the same apply again: the object as stored; comparing it with 019's answer ignores bookkeeping only.
        var first = RecordedExchange.Load("019").Json;
        var again = RecordedExchange.Load("020").Json;

        Assert.True(ObjectDiffer.SameAsDryRun(again, first, Options) || !JsonNode.DeepEquals(ObjectDiffer.Comparable(again)["spec"], ObjectDiffer.Comparable(first)["spec"]));
        Assert.True(JsonNode.DeepEquals(ObjectDiffer.Comparable(again)["spec"], ObjectDiffer.Comparable(first)["spec"]));
    }

    [Fact]
    public void SameAsDryRun_DryRunOfUpdate_DiffersFromLive()
    {
        var predicted = RecordedExchange.Load("021").Json;
        var live = RecordedExchange.Load("020").Json;

        Assert.False(ObjectDiffer.SameAsDryRun(predicted, live, Options));
    }

    [Theory]
    [InlineData("millicores", "1000m", "1", true)]
    [InlineData("binary", "0.5Gi", "512Mi", true)]
    [InlineData("decimal-exponent", "1e3", "1k", true)]
    [InlineData("different", "100m", "200m", false)]
    [InlineData("not-a-quantity", "abc", "abc", false)]
    public void Quantity_Equivalent(string name, string a, string b, bool expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(expected, Quantity.Equivalent(a, b));
    }

    [Fact]
    public void Unified_SecretValues_AreMasked()
    {
        var key = new ResourceKey(string.Empty, "Secret", "ns", "creds");
        var live = (JsonObject)YamlReader.ReadOne("apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: ns}\ndata: {password: c2VjcmV0, user: YWRtaW4=}\n", "live")!;
        var target = (JsonObject)YamlReader.ReadOne("apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: ns}\ndata: {password: bmV3LXNlY3JldA==, user: YWRtaW4=}\n", "git")!;

        var diff = DiffRenderer.Unified(key, live, target);

        Assert.DoesNotContain("c2VjcmV0", diff);
        Assert.DoesNotContain("bmV3LXNlY3JldA", diff);
        Assert.DoesNotContain("YWRtaW4", diff);
        Assert.Contains("-  password: +", diff);
        Assert.Contains("+  password: +", diff);
        Assert.DoesNotContain("-  user:", diff);
    }

    [Fact]
    public void Unified_ChangedImage_ShowsOneHunk()
    {
        var live = RecordedExchange.Load("020").Json;
        var target = RecordedExchange.Load("021").Json;

        var diff = DiffRenderer.Unified(ResourceKey.Of(live), live, target);

        Assert.StartsWith("--- live/Deployment.apps/fixtures/web\n+++ git/Deployment.apps/fixtures/web\n@@ ", diff);
        Assert.Contains("\n-      - image: nginx:1.25\n", diff);
        Assert.Contains("\n+      - image: nginx:1.26\n", diff);
        Assert.DoesNotContain("managedFields", diff);
    }
}
