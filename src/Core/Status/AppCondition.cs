namespace Ferry.Core.Status;

/// <summary>An app condition as Argo CD reports them (<c>ComparisonError</c>, <c>SyncError</c>, <c>UnknownField</c>...).</summary>
public sealed record AppCondition(string Type, string Message, DateTimeOffset LastTransitionTime);
