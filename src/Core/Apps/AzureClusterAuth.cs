namespace Ferry.Core.Apps;

/// <summary>An AKS cluster reached with an Azure AD token from managed identity (a user-assigned one when <see cref="ClientId"/> is set).</summary>
public sealed record AzureClusterAuth(string? ClientId = null) : ClusterAuth;
