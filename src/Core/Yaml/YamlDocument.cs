using System.Text.Json.Nodes;

namespace Ferry.Core.Yaml;

/// <summary>One document of a multi-document YAML stream, as JSON, with where it started.</summary>
public sealed record YamlDocument(JsonNode? Root, string File, int Line);
