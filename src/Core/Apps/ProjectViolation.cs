namespace Ferry.Core.Apps;

/// <summary>Something an application or object does that its project does not permit; <see cref="Message"/> names the subject.</summary>
public sealed record ProjectViolation(string Project, string Subject, string Reason)
{
    /// <summary>A sentence for people: subject, reason and project.</summary>
    public string Message => $"{Subject}: {Reason} (project {Project})";

    /// <inheritdoc/>
    public override string ToString() => Message;
}
