// The "Ferry" workbook in the portal: apps, sync durations, failures, webhook-to-applied latency, drift.

@description('Display name of the workbook.')
param displayName string

@description('Region.')
param location string

@description('Tags for every resource.')
param tags { *: string } = {}

@description('The Application Insights component the workbook queries.')
param applicationInsightsId string

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // Workbook names must be GUIDs; this one is stable per component, so redeploying updates it in place.
  name: guid(applicationInsightsId, 'ferry-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: applicationInsightsId
    version: 'Notebook/1.0'
    serializedData: loadTextContent('../workbook.json')
  }
}

output id string = workbook.id
