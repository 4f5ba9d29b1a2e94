namespace Ferry.Core.Apps;

/// <summary>An API group and kind pair, either may be a glob (<c>*</c>).</summary>
public sealed record GroupKind(string Group, string Kind);
