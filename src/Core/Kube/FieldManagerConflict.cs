namespace Ferry.Core.Kube;

/// <summary>A field a server-side apply could not take because another field manager owns it.</summary>
public sealed record FieldManagerConflict(string Field, string Manager);
