// The user-assigned managed identity Ferry runs as: storage, Key Vault and AKS roles are granted to it, never keys.

@description('Name of the identity.')
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags { *: string } = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
