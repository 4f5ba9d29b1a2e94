namespace Ferry.Core.Apps;

/// <summary>A catalog (applications, projects or clusters) is invalid; lists every error with its file, line and field.</summary>
public sealed class AppValidationException(IReadOnlyList<AppValidationError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    /// <summary>The errors, in file and line order.</summary>
    public IReadOnlyList<AppValidationError> Errors { get; } = errors;
}
