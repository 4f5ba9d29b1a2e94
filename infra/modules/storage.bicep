// Storage for the Functions host and Ferry: the jobs queue and its poison queue, the status container, and the
// container Flex Consumption deploys packages from. Shared keys are off; the app's identity gets data-plane roles.

@description('Storage account name (3-24 lower-case letters and digits).')
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags { *: string } = {}

@description('Principal id of the identity that runs Ferry.')
param principalId string

// Built-in role definition ids (the same in every tenant).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

resource account 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Identity-based connections only: no account key reaches an app setting.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: account
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2026-09-01' = {
  parent: account
  name: 'default'
}

// The host's queue trigger of SyncWorker (function.json queueName) and GitHubWebhook/DriftCheck's enqueue target.
resource jobsQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-09-01' = {
  parent: queueService
  name: 'ferry-jobs'
}

// Where the host moves a job after maxDequeueCount (5) failed attempts.
resource poisonQueue 'Microsoft.Storage/storageAccounts/queueServices/queues@2026-09-01' = {
  parent: queueService
  name: 'ferry-jobs-poison'
}

// Per-app status documents; blob leases are the per-app sync lock.
resource statusContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: 'ferry-status'
  properties: {
    publicAccess: 'None'
  }
}

// The deployment package container (Flex Consumption reads it; the Premium plan runs the zip from it).
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobService
  name: 'ferry-deployments'
  properties: {
    publicAccess: 'None'
  }
}

// Blob Data Owner rather than Contributor: the Functions host manages its own blob leases and containers (azure-webjobs-*).
resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageBlobDataOwner)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, storageQueueDataContributor)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
output statusContainerName string = statusContainer.name
output jobsQueueName string = jobsQueue.name
output poisonQueueName string = poisonQueue.name
