namespace Ferry.Core.Apps;

/// <summary>A bearer token read from an environment variable (never from the file), with the server's CA or insecure TLS.</summary>
public sealed record TokenClusterAuth(string EnvironmentVariable, string? CaData = null, bool Insecure = false) : ClusterAuth;
