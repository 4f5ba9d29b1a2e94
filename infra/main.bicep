// Ferry on Azure: GitOps continuous delivery for Kubernetes on Azure Functions.
// Deploy into an existing resource group: az deployment group create -g <rg> -f infra/main.bicep -p appsRepo=<url> ...
// (infra/README.md walks through deploy, publish, secrets, the GitHub webhook and the portal workbook.)

targetScope = 'resourceGroup'

@description('Base name of every resource (letters and digits, 3-11 characters); a short hash of the resource group keeps global names unique.')
@minLength(3)
@maxLength(11)
param baseName string = 'ferry'

@description('Region of every resource.')
param location string = resourceGroup().location

@description('FlexConsumption (default: scales to zero, pay per execution) or Premium (EP1: always one warm instance).')
@allowed([
  'FlexConsumption'
  'Premium'
])
param plan string = 'FlexConsumption'

@description('Git URL of the apps repository holding Argo CD Application manifests (the app-of-apps source).')
param appsRepo string

@description('Path of the Application manifests inside the apps repository.')
param appsPath string = '.'

@description('Branch, tag or SHA of the apps repository.')
param appsRevision string = 'HEAD'

@description('Clusters file inside the deployment package (relative to the app root); empty means no clusters file.')
param clustersFile string = 'clusters.yaml'

@description('Resource ids of the AKS clusters Ferry deploys to; each gets a Kubernetes RBAC role for Ferry\'s identity.')
param aksClusterResourceIds string[] = []

@description('Kubernetes role on those clusters. ClusterAdmin: any manifest (namespaces, CRDs, ClusterRoles). Admin: namespaced objects including Roles/RoleBindings. Writer: namespaced workloads only.')
@allowed([
  'ClusterAdmin'
  'Admin'
  'Writer'
])
param aksRole string = 'ClusterAdmin'

@description('How Ferry authenticates to private Git repositories: none (public), token (HTTPS) or ssh.')
@allowed([
  'none'
  'token'
  'ssh'
])
param gitAuth string = 'none'

@description('The Git host the credentials are sent to (never to any other host).')
param gitHost string = 'github.com'

@description('NCRONTAB schedule of the drift check (six fields, seconds first); every 3 minutes by default.')
param driftSchedule string = '0 */3 * * * *'

@description('Client id of the Entra ID app registration people sign in with; the page and the API require a login (infra/README.md: create it first).')
param authClientId string

@description('Tenant of that app registration; the deployment\'s tenant by default.')
param authTenantId string = tenant().tenantId

@secure()
@description('Client secret of that app registration; leave empty to set it in Key Vault later (sign-in fails until then).')
param authClientSecret string = ''

@description('true: status badges (/api/badge/*) are public, for README images; false: they need a login like everything else.')
param publicBadges bool = true

@secure()
@description('GitHub webhook secret; leave empty to set it in Key Vault later (webhooks answer 401 until then).')
param githubWebhookSecret string = ''

@secure()
@description('Git HTTPS token (gitAuth=token); leave empty to set it in Key Vault later.')
param gitToken string = ''

@secure()
@description('Git SSH private key (gitAuth=ssh); leave empty to set it in Key Vault later.')
param gitSshPrivateKey string = ''

@description('SSH host keys to trust (gitAuth=ssh): known_hosts lines or SHA256 fingerprints, one per line, e.g. the output of `ssh-keyscan github.com`.')
param gitSshKnownHosts string = ''

@description('Tags for every resource.')
param tags { *: string } = {
  application: 'ferry'
}

var suffix = take(uniqueString(resourceGroup().id), 6)
var name = toLower('${baseName}-${suffix}')
var compactName = toLower('${baseName}${suffix}')

// Built-in Kubernetes RBAC roles of AKS (Azure RBAC for Kubernetes authorization).
var aksRoleDefinitionIds = {
  ClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'
  Admin: '3498e952-d568-435e-9b2c-8d77e338d7f7'
  Writer: 'a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb'
}

module identity 'modules/identity.bicep' = {
  name: 'ferry-identity'
  params: {
    name: 'id-${name}'
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'ferry-storage'
  params: {
    name: 'st${compactName}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'ferry-monitoring'
  params: {
    name: name
    location: location
    tags: tags
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'ferry-keyvault'
  params: {
    name: 'kv-${name}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    githubWebhookSecret: githubWebhookSecret
    gitToken: gitToken
    gitSshPrivateKey: gitSshPrivateKey
    authClientSecret: authClientSecret
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'ferry-functionapp'
  params: {
    name: 'func-${name}'
    location: location
    tags: tags
    plan: plan
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    webhookSecretUri: vault.outputs.webhookSecretUri
    gitTokenUri: vault.outputs.gitTokenUri
    gitSshPrivateKeyUri: vault.outputs.gitSshPrivateKeyUri
    gitAuth: gitAuth
    gitHost: gitHost
    gitSshKnownHosts: gitSshKnownHosts
    appsRepo: appsRepo
    appsPath: appsPath
    appsRevision: appsRevision
    clustersFile: clustersFile
    driftSchedule: driftSchedule
    authClientId: authClientId
    authTenantId: authTenantId
    authClientSecretUri: vault.outputs.authClientSecretUri
    publicBadges: publicBadges
  }
}

module workbook 'modules/workbook.bicep' = {
  name: 'ferry-workbook'
  params: {
    displayName: 'Ferry'
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
  }
}

// Resource id: /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>
module aksRbac 'modules/aks-rbac.bicep' = [
  for (clusterId, i) in aksClusterResourceIds: {
    name: 'ferry-aks-rbac-${i}'
    scope: resourceGroup(split(clusterId, '/')[2], split(clusterId, '/')[4])
    params: {
      clusterName: last(split(clusterId, '/'))
      principalId: identity.outputs.principalId
      roleDefinitionId: aksRoleDefinitionIds[aksRole]
    }
  }
]

output functionAppName string = functionApp.outputs.name
output webhookUrl string = 'https://${functionApp.outputs.hostName}/api/github'
output statusPageUrl string = 'https://${functionApp.outputs.hostName}/'
output authRedirectUri string = 'https://${functionApp.outputs.hostName}/.auth/login/aad/callback'
output keyVaultName string = vault.outputs.name
output storageAccountName string = storage.outputs.name
output deploymentContainerUrl string = storage.outputs.deploymentContainerUrl
output identityClientId string = identity.outputs.clientId
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
output workbookId string = workbook.outputs.id
output aksServers string[] = [for (clusterId, i) in aksClusterResourceIds: aksRbac[i].outputs.server]
