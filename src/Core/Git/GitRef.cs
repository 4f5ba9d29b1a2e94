namespace Ferry.Core.Git;

/// <summary>One line of <c>git ls-remote</c>: a ref name and the object it points at.</summary>
public sealed record GitRef(string Name, string Sha);
