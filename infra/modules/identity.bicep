// The user-assigned managed identity Ferry runs as: storage, Key Vault and AKS roles are granted to it, never keys.

@description('Name of the identity.')
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
