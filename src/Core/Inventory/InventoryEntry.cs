namespace Ferry.Core.Inventory;

/// <summary>One inventory item: the object's id (<c>ns_name_group_kind</c>) and the version it was applied with.</summary>
public sealed record InventoryEntry(string Id, string Version);
