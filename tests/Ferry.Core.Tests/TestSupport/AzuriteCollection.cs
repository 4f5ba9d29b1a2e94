namespace Ferry.Core.Tests.TestSupport;

/// <summary>The storage tests share one Azurite process.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection's name for <c>[Collection]</c>.</summary>
    public const string Name = "Azurite";
}
