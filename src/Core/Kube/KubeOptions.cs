namespace Ferry.Core.Kube;

/// <summary>Options of a server-side apply; defaults: field manager <c>ferry</c>, no force, not a dry run.</summary>
public sealed record ApplyOptions
{
    /// <summary>The field manager name.</summary>
    public string FieldManager { get; init; } = "ferry";

    /// <summary>Take ownership of fields another manager holds (<c>force=true</c>).</summary>
    public bool Force { get; init; }

    /// <summary>Ask the server to validate and default without persisting (<c>dryRun=All</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>Server-side field validation: Strict, Warn or Ignore; null leaves the server default.</summary>
    public string? FieldValidation { get; init; }
}

/// <summary>Options of a list call.</summary>
public sealed record ListOptions
{
    /// <summary>Label selector, e.g. <c>app=web,tier!=db</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Page size (<c>limit</c>); the client follows <c>continue</c> tokens until done.</summary>
    public int? PageSize { get; init; } = 500;
}

/// <summary>Options of a delete call.</summary>
public sealed record DeleteOptions
{
    /// <summary>Foreground, Background or Orphan; null leaves the server default.</summary>
    public string? PropagationPolicy { get; init; }

    /// <summary>Delete only if the object still has this uid.</summary>
    public string? PreconditionUid { get; init; }

    /// <summary>Delete only if the object still has this resourceVersion.</summary>
    public string? PreconditionResourceVersion { get; init; }

    /// <summary>Dry run (<c>dryRun=All</c>).</summary>
    public bool DryRun { get; init; }
}
