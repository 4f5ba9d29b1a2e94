namespace Ferry.Functions.Hosting;

/// <summary>The host's invocation payload is not in the documented shape (missing binding, malformed JSON).</summary>
public sealed class InvocationFormatException : Exception
{
    /// <summary>Creates the exception with a message naming what is wrong.</summary>
    public InvocationFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the parser's error.</summary>
    public InvocationFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
