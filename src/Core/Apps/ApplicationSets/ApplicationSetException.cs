namespace Ferry.Core.Apps.ApplicationSets;

/// <summary>An ApplicationSet could not generate its applications (a generator's input or a template failed).</summary>
public sealed class ApplicationSetException(string message) : Exception(message);
