// One AKS cluster's Kubernetes RBAC role for Ferry's identity (the cluster must use Azure RBAC for Kubernetes
// authorization). Deployed at the cluster's resource group, which may be in another subscription.

@description('Name of the AKS cluster.')
param clusterName string

@description('Principal id of the identity that runs Ferry.')
param principalId string

@description('Built-in role definition id to grant on the cluster.')
param roleDefinitionId string

resource cluster 'Microsoft.ContainerService/managedClusters@2026-08-01' existing = {
  name: clusterName
}

resource clusterRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(cluster.id, principalId, roleDefinitionId)
  scope: cluster
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output server string = 'https://${cluster.properties.fqdn}:443'
