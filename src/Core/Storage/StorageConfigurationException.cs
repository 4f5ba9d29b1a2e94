namespace Ferry.Core.Storage;

/// <summary>A storage connection string or setting is missing or invalid; names the setting, never its value.</summary>
public sealed class StorageConfigurationException(string setting, string reason)
    : Exception($"storage setting '{setting}' {reason}")
{
    /// <summary>The setting at fault (a connection string key or an app setting name).</summary>
    public string Setting { get; } = setting;

    /// <summary>What was wrong with it.</summary>
    public string Reason { get; } = reason;
}
