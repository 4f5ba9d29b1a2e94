namespace Ferry.Core.Jobs;

/// <summary>An app found out of sync: which revision, which objects, and whether Ferry will heal it.</summary>
public sealed record DriftEvent(string App, string Revision, IReadOnlyList<string> Resources, bool WillSync);
