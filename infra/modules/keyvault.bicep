// Key Vault for Ferry's secrets (GitHub webhook secret, Git credentials). The app reads them through Key Vault
// references resolved by the platform with the app's identity, which may only read secret values.

@description('Key Vault name (3-24 letters, digits and hyphens).')
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags { *: string } = {}

@description('Principal id of the identity that runs Ferry.')
param principalId string

@secure()
@description('GitHub webhook secret; empty leaves the secret to be set later (README: set secrets).')
param githubWebhookSecret string = ''

@secure()
@description('HTTPS token for private Git repositories; empty leaves it unset.')
param gitToken string = ''

@secure()
@description('SSH private key for Git repositories reached over SSH; empty leaves it unset.')
param gitSshPrivateKey string = ''

@secure()
@description('Client secret of the Entra ID app registration App Service Authentication signs users in with; empty leaves it to be set later.')
param authClientSecret string = ''

// Built-in role: Key Vault Secrets User (read secret values, nothing else).
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

var webhookSecretName = 'github-webhook-secret'
var gitTokenName = 'git-token'
var gitSshPrivateKeyName = 'git-ssh-private-key'
var authClientSecretName = 'auth-client-secret'

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(githubWebhookSecret)) {
  parent: vault
  name: webhookSecretName
  properties: {
    value: githubWebhookSecret
  }
}

resource gitTokenSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(gitToken)) {
  parent: vault
  name: gitTokenName
  properties: {
    value: gitToken
  }
}

resource gitSshKeySecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(gitSshPrivateKey)) {
  parent: vault
  name: gitSshPrivateKeyName
  properties: {
    value: gitSshPrivateKey
  }
}

resource authSecret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = if (!empty(authClientSecret)) {
  parent: vault
  name: authClientSecretName
  properties: {
    value: authClientSecret
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
// Versionless URIs: the platform picks up a rotated secret without a template change.
output webhookSecretUri string = '${vault.properties.vaultUri}secrets/${webhookSecretName}'
output gitTokenUri string = '${vault.properties.vaultUri}secrets/${gitTokenName}'
output gitSshPrivateKeyUri string = '${vault.properties.vaultUri}secrets/${gitSshPrivateKeyName}'
output authClientSecretUri string = '${vault.properties.vaultUri}secrets/${authClientSecretName}'
