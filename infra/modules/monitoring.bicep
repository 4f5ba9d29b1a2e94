// Application Insights (workspace-based) on a Log Analytics workspace: Ferry's events, metrics, requests and dependencies.

@description('Name prefix of the workspace and the component.')
param name string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags { *: string } = {}

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: 'log-${name}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

output applicationInsightsId string = insights.id
output applicationInsightsName string = insights.name
output connectionString string = insights.properties.ConnectionString
output workspaceId string = workspace.id
