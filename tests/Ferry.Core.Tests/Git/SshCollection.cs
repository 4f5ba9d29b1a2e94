namespace Ferry.Core.Tests.Git;

/// <summary>Tests that take <c>git</c> and <c>ssh</c> off the process's PATH run alone: no other test may spawn a program meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SshCollection
{
    /// <summary>The collection's name for <c>[Collection]</c>.</summary>
    public const string Name = "SSH without git or ssh on PATH";
}
