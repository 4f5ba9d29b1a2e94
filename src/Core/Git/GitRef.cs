namespace Ferry.Core.Git;

/// <summary>One reference the remote advertises (what <c>git ls-remote</c> prints): a ref name and the object it points at.</summary>
public sealed record GitRef(string Name, string Sha);
