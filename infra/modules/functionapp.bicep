// The Linux Function App that runs Ferry's custom handler (the `ferry` executable; host.json starts `ferry handler`).
// Flex Consumption by default; Elastic Premium (EP1) for always-warm instances.

@description('Function App name (also the host name: <name>.azurewebsites.net).')
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags object = {}

@description('FlexConsumption (FC1, scale to zero) or Premium (EP1, one instance always warm).')
@allowed([
  'FlexConsumption'
  'Premium'
])
param plan string = 'FlexConsumption'

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Storage account name (AzureWebJobsStorage, identity-based).')
param storageAccountName string

@description('Blob service endpoint of the storage account.')
param blobEndpoint string

@description('Queue service endpoint of the storage account.')
param queueEndpoint string

@description('URL of the deployment package container.')
param deploymentContainerUrl string

@description('Application Insights connection string.')
param applicationInsightsConnectionString string

@description('Versionless Key Vault secret URI of the GitHub webhook secret.')
param webhookSecretUri string

@description('Versionless Key Vault secret URI of the Git HTTPS token.')
param gitTokenUri string

@description('Versionless Key Vault secret URI of the Git SSH private key.')
param gitSshPrivateKeyUri string

@description('How Ferry authenticates to private Git repositories: none, token (HTTPS) or ssh.')
@allowed([
  'none'
  'token'
  'ssh'
])
param gitAuth string = 'none'

@description('The host the Git credentials are sent to.')
param gitHost string = 'github.com'

@description('User name sent with the Git token.')
param gitUserName string = 'x-access-token'

@description('Git URL of the apps repository (Argo CD Application manifests).')
param appsRepo string

@description('Path of the manifests inside the apps repository.')
param appsPath string = '.'

@description('Branch, tag or SHA of the apps repository.')
param appsRevision string = 'HEAD'

@description('Clusters file, relative to the app root (shipped inside the deployment package); empty means none.')
param clustersFile string = 'clusters.yaml'

@description('Flex Consumption: maximum instances.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: instance memory in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

var isFlex = plan == 'FlexConsumption'

// Settings both plans share: every name Ferry reads (functions/Composition/AppSettingNames.cs) plus the host's
// identity-based storage connection.
var ferrySettings = [
  {
    name: 'AzureWebJobsStorage__accountName'
    value: storageAccountName
  }
  {
    name: 'AzureWebJobsStorage__credential'
    value: 'managedidentity'
  }
  {
    name: 'AzureWebJobsStorage__clientId'
    value: identityClientId
  }
  {
    name: 'AzureWebJobsStorage__blobServiceUri'
    value: blobEndpoint
  }
  {
    name: 'AzureWebJobsStorage__queueServiceUri'
    value: queueEndpoint
  }
  {
    // Azure.Identity (AKS tokens, storage) picks the user-assigned identity by this client id.
    name: 'AZURE_CLIENT_ID'
    value: identityClientId
  }
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: applicationInsightsConnectionString
  }
  {
    name: 'FERRY_APPS_REPO'
    value: appsRepo
  }
  {
    // A local apps directory is for `ferry serve`; in Azure the apps come from FERRY_APPS_REPO.
    name: 'FERRY_APPS'
    value: ''
  }
  {
    name: 'FERRY_APPS_PATH'
    value: appsPath
  }
  {
    name: 'FERRY_APPS_REVISION'
    value: appsRevision
  }
  {
    name: 'FERRY_CLUSTERS'
    value: clustersFile
  }
  {
    // Scratch space for the Git cache; status lives in the ferry-status container.
    name: 'FERRY_STATE'
    value: '/tmp/ferry-state'
  }
  {
    name: 'FERRY_GITHUB_WEBHOOK_SECRET'
    value: '@Microsoft.KeyVault(SecretUri=${webhookSecretUri})'
  }
  {
    name: 'FERRY_GIT_HOST'
    value: gitHost
  }
  {
    name: 'FERRY_GIT_USERNAME'
    value: gitAuth == 'token' ? gitUserName : ''
  }
  {
    // Only referenced when used: an unresolved reference would reach git as a bogus token.
    name: 'FERRY_GIT_TOKEN'
    value: gitAuth == 'token' ? '@Microsoft.KeyVault(SecretUri=${gitTokenUri})' : ''
  }
  {
    name: 'FERRY_GIT_SSH_PRIVATE_KEY'
    value: gitAuth == 'ssh' ? '@Microsoft.KeyVault(SecretUri=${gitSshPrivateKeyUri})' : ''
  }
]

// Premium runs the zip the README uploads to the deployment container (no Azure Files share, so no account key).
// Flex Consumption sets the runtime in functionAppConfig and refuses these settings.
var premiumSettings = [
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'custom'
  }
  {
    name: 'WEBSITE_RUN_FROM_PACKAGE'
    value: '${deploymentContainerUrl}/ferry.zip'
  }
  {
    name: 'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID'
    value: identityId
  }
]

resource hostingPlan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  tags: tags
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: 'EP1'
        tier: 'ElasticPremium'
      }
  properties: {
    reserved: true
    maximumElasticWorkerCount: isFlex ? null : 20
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: hostingPlan.id
    httpsOnly: true
    // Key Vault references resolve with the user-assigned identity (the default would be a system identity).
    keyVaultReferenceIdentity: identityId
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: deploymentContainerUrl
              authentication: {
                type: 'UserAssignedIdentity'
                userAssignedIdentityResourceId: identityId
              }
            }
          }
          runtime: {
            name: 'custom'
            version: '1.0'
          }
          scaleAndConcurrency: {
            maximumInstanceCount: maximumInstanceCount
            instanceMemoryMB: instanceMemoryMB
          }
        }
      : null
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: isFlex ? ferrySettings : concat(ferrySettings, premiumSettings)
    }
  }
}

output name string = site.name
output hostName string = site.properties.defaultHostName
