namespace Ferry.Core.Status;

/// <summary>An app condition as Argo CD reports them (<c>ComparisonError</c>, <c>SyncError</c>, <c>SpecWarning</c>...); types ending in <c>Warning</c> are warnings.</summary>
public sealed record AppCondition(string Type, string Message, DateTimeOffset LastTransitionTime)
{
    /// <summary>An unknown or unsupported field in the app's manifest: <c>file:line: field: message</c>.</summary>
    public const string SpecWarning = "SpecWarning";
}
