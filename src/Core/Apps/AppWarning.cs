namespace Ferry.Core.Apps;

/// <summary>Something in a catalog file Ferry keeps but does not act on (an unknown or unsupported field).</summary>
public sealed record AppWarning(string File, int Line, string Field, string Message)
{
    /// <summary>The <c>file:line: field: message</c> form.</summary>
    public override string ToString() => $"{File}:{Line}: {Field}: {Message}";
}
