using System.Reflection;
using Ferry.Core.Sync;

namespace Ferry.Core.Tests.Architecture;

/// <summary>Core knows nothing of ASP.NET, Azure Functions or hosting; inside Core, nothing below Sync uses Sync.</summary>
public sealed class CoreDependencyTests
{
    private static readonly Assembly Core = typeof(SyncEngine).Assembly;

    [Theory]
    [InlineData("aspnetcore", "Microsoft.AspNetCore")]
    [InlineData("functions-worker", "Microsoft.Azure.Functions")]
    [InlineData("webjobs", "Microsoft.Azure.WebJobs")]
    [InlineData("hosting", "Microsoft.Extensions.Hosting")]
    [InlineData("application-insights", "Microsoft.ApplicationInsights")]
    [InlineData("simulator", "Ferry.Simulator")]
    [InlineData("functions-app", "Ferry.Functions")]
    [InlineData("cli", "ferry")]
    public void Core_ReferencesNo(string name, string forbiddenPrefix)
    {
        Assert.False(string.IsNullOrEmpty(name));
        var offending = Core.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)
            .Where(a => a == forbiddenPrefix || a.StartsWith(forbiddenPrefix + ".", StringComparison.Ordinal)).ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void Core_ReferencesSomething_SoTheCheckAboveIsMeaningful()
    {
        Assert.Contains(Core.GetReferencedAssemblies(), a => a.Name == "YamlDotNet");
    }

    [Theory]
    [InlineData("Ferry.Core.Kube")]
    [InlineData("Ferry.Core.Diff")]
    [InlineData("Ferry.Core.Health")]
    [InlineData("Ferry.Core.Inventory")]
    [InlineData("Ferry.Core.Render")]
    [InlineData("Ferry.Core.Git")]
    public void LowerLayers_DoNotUseSync(string layer)
    {
        var users = Core.GetTypes()
            .Where(t => t.Namespace is { } ns && (ns == layer || ns.StartsWith(layer + ".", StringComparison.Ordinal)))
            .Where(t => UsedTypes(t).Any(u => u.Namespace == "Ferry.Core.Sync" || u.Namespace == "Ferry.Core.Jobs"))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(users);
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(all))
        {
            yield return field.FieldType;
        }

        foreach (var method in type.GetMethods(all))
        {
            yield return method.ReturnType;
            foreach (var parameter in method.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }

        foreach (var ctor in type.GetConstructors(all))
        {
            foreach (var parameter in ctor.GetParameters())
            {
                yield return parameter.ParameterType;
            }
        }

        if (type.BaseType is { } baseType)
        {
            yield return baseType;
        }
    }
}
