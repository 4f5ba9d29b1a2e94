namespace Ferry.Cli.Commands;

/// <summary>No apps catalog to read: no <c>--apps</c>, no <c>./apps</c>, and no demo in the state directory.</summary>
internal sealed class CatalogNotFoundException(string message) : Exception(message);
