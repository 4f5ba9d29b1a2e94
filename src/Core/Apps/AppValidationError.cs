namespace Ferry.Core.Apps;

/// <summary>One problem in a catalog file: where (file, line, field) and what.</summary>
public sealed record AppValidationError(string File, int Line, string Field, string Reason)
{
    /// <summary>The <c>file:line: field: reason</c> form.</summary>
    public override string ToString() => Field.Length == 0 ? $"{File}:{Line}: {Reason}" : $"{File}:{Line}: {Field}: {Reason}";
}
