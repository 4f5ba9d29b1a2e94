using System.Text.Json.Nodes;
using Ferry.Core.Render.Kustomize;
using Ferry.Core.Tests.TestSupport;

namespace Ferry.Core.Tests.Render.Kustomize;

/// <summary>Keeps the embedded strategic-merge table equal to what the OpenAPI fixture yields.</summary>
public sealed class PatchSchemaTests
{
    [Fact]
    public void Generate_FromOpenApiFixture_MatchesCommittedTable()
    {
        var fixtures = SharedFixtures.Directory;
        var openApi = fixtures is null ? null : Path.Combine(fixtures, "kube", "openapi-v2.json");
        if (openApi is null || !File.Exists(openApi))
        {
            return;
        }

        var generated = PatchSchemaGenerator.Generate(JsonNode.Parse(File.ReadAllText(openApi))!.AsObject());
        var committedPath = Path.Combine(RepositoryRoot(), "src", "Core", "Render", "Kustomize", "PatchSchema.json");
        if (Environment.GetEnvironmentVariable("FERRY_REGENERATE") == "1")
        {
            File.WriteAllText(committedPath, generated);
        }

        var committed = File.Exists(committedPath) ? File.ReadAllText(committedPath) : string.Empty;
        Assert.True(
            committed == generated,
            $"{committedPath} is stale; refresh it with: FERRY_REGENERATE=1 dotnet test tests/Ferry.Core.Tests --filter FullyQualifiedName~PatchSchemaTests");
    }

    [Fact]
    public void Default_Deployment_MergesContainersByName()
    {
        var schema = PatchSchema.Default;
        var root = schema.RootType(new Gvk("apps", "v1", "Deployment"));
        var spec = schema.Field(schema.Field(schema.Field(root, "spec")?.Type, "template")?.Type, "spec");
        var containers = schema.Field(spec?.Type, "containers");

        Assert.NotNull(containers);
        Assert.True(containers.Merges);
        Assert.Equal(["name"], containers.Keys);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ferry.slnx not found above the test binaries");
    }
}
