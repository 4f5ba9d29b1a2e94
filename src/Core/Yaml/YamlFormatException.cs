namespace Ferry.Core.Yaml;

/// <summary>A YAML or JSON document could not be parsed; carries the file, line and column.</summary>
public sealed class YamlFormatException(string file, int line, int column, string reason)
    : Exception($"{file}:{line}:{column}: {reason}")
{
    /// <summary>The file (or a label for in-memory text) that failed to parse.</summary>
    public string File { get; } = file;

    /// <summary>One-based line of the error.</summary>
    public int Line { get; } = line;

    /// <summary>One-based column of the error.</summary>
    public int Column { get; } = column;

    /// <summary>The parser's explanation, without the location prefix.</summary>
    public string Reason { get; } = reason;
}
