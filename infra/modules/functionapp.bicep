// The Linux Function App that runs Ferry: a .NET 10 isolated-worker app (functions/, published with host.json at its root).
// Flex Consumption by default; Elastic Premium (EP1) for always-warm instances. App Service Authentication (Entra ID)
// guards the page and the API; GitHub's webhook and, optionally, the badges stay reachable without a login.

@description('Function App name (also the host name: <name>.azurewebsites.net).')
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags { *: string } = {}

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

@description('SSH host keys Ferry trusts for gitAuth=ssh: known_hosts lines or SHA256 fingerprints, one per line (unknown host keys are refused).')
param gitSshKnownHosts string = ''

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

@description('NCRONTAB schedule of the DriftCheck timer (FERRY_DRIFT_SCHEDULE), six fields with seconds.')
param driftSchedule string = '0 */3 * * * *'

@description('Client id of the Entra ID app registration users sign in with (App Service Authentication).')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string = tenant().tenantId

@description('Versionless Key Vault secret URI of that app registration\'s client secret.')
param authClientSecretUri string

@description('true: anyone may fetch /api/badge/* (for README badges); false: badges need a login like the rest.')
param publicBadges bool = true

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

// The worker runtime: Flex Consumption takes it from functionAppConfig.runtime, Premium from linuxFxVersion plus the
// FUNCTIONS_WORKER_RUNTIME setting.
var runtimeName = 'dotnet-isolated'
var runtimeVersion = '10.0'

// The app setting App Service Authentication reads the Entra ID client secret from (a Key Vault reference).
var authSecretSettingName = 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'

// Paths reachable without a login. GitHub cannot sign in; its deliveries carry an HMAC signature the webhook checks.
// Badges are images embedded in READMEs, fetched by browsers that have no session with this app.
var anonymousPaths = concat(['/api/github'], publicBadges ? ['/api/badge/*'] : [])

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
    // DriftCheck's timer trigger reads its schedule from this setting (%FERRY_DRIFT_SCHEDULE%).
    name: 'FERRY_DRIFT_SCHEDULE'
    value: driftSchedule
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
  {
    name: 'FERRY_GIT_SSH_KNOWN_HOSTS'
    value: gitAuth == 'ssh' ? gitSshKnownHosts : ''
  }
  {
    name: authSecretSettingName
    value: '@Microsoft.KeyVault(SecretUri=${authClientSecretUri})'
  }
]

// Premium runs the zip the README uploads to the deployment container (no Azure Files share, so no account key).
// Flex Consumption takes the runtime from functionAppConfig and refuses these settings.
var premiumSettings = [
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: runtimeName
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

resource hostingPlan 'Microsoft.Web/serverfarms@2025-03-01' = {
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

resource site 'Microsoft.Web/sites@2025-03-01' = {
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
            name: runtimeName
            version: runtimeVersion
          }
          scaleAndConcurrency: {
            maximumInstanceCount: maximumInstanceCount
            instanceMemoryMB: instanceMemoryMB
          }
        }
      : null
    siteConfig: {
      linuxFxVersion: isFlex ? null : '${toUpper(runtimeName)}|${runtimeVersion}'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: isFlex ? ferrySettings : concat(ferrySettings, premiumSettings)
    }
  }
}

// App Service Authentication with Entra ID. One unauthenticated action covers the page and the API: a browser is sent to
// the Entra sign-in page and comes back with a session cookie that the page's own API calls carry; scripts and CI send
// a bearer token for api://<client id> and are never redirected. An anonymous API call is redirected to the sign-in page
// and never reaches Ferry. (Return401 would leave a person opening the page with a bare 401 and no way to sign in.)
resource auth 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: anonymousPaths
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          clientSecretSettingName: authSecretSettingName
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
  }
}

output name string = site.name
output hostName string = site.properties.defaultHostName
