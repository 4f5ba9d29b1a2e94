using System.Globalization;
using System.Text.Json.Nodes;
using Ferry.Simulator.Api;
using Ferry.Simulator.Apply;
using Ferry.Simulator.Defaulting;
using Ferry.Simulator.Discovery;
using Ferry.Simulator.Validation;

namespace Ferry.Simulator.Storage;

/// <summary>The simulated cluster's object operations (what the API server's registry does), independent of HTTP.</summary>
internal sealed class Cluster(KubeSimulatorOptions options)
{
    private static readonly string[] MetadataOrder =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    public ResourceRegistry Registry { get; } = new();

    public ObjectStore Store { get; } = new();

    public Defaulter Defaulter { get; } = new();

    /// <summary>Raised after an object is stored or removed (not on dry runs).</summary>
    public event Action<StoredObject, bool>? Changed;

    private string Now => ManagedEntry.FormatTime(options.TimeProvider.GetUtcNow());

    /// <summary>Creates the namespaces every cluster has.</summary>
    public void Seed()
    {
        foreach (var ns in new[] { "default", "kube-node-lease", "kube-public", "kube-system" })
        {
            var type = Registry.Find(string.Empty, "v1", "namespaces")!;
            Create(type, string.Empty, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, "kube-apiserver", dryRun: false);
        }
    }

    public StoredObject Get(ResourceType type, string ns, string name) =>
        Store.Get(type.Group, type.Plural, ns, name) ?? throw ApiError.NotFound(type, name);

    /// <summary>Server-side apply of one object.</summary>
    public (StoredObject Object, bool Created) Apply(ResourceType type, string ns, string name, JsonObject applied, string manager, bool force, bool dryRun, string? fieldValidation = null)
    {
        CheckIdentity(type, ns, name, applied);
        if (fieldValidation is "Ignore" or "Warn")
        {
            // The server drops unknown fields instead of refusing the object.
            applied = (JsonObject)applied.DeepClone();
            KnownFields.Drop(type.Group, type.Kind, applied);
        }

        var undeclared = KnownFields.Undeclared(type.Group, type.Kind, applied);
        if (undeclared.Count > 0)
        {
            var gvk = $"{type.Group}/{type.Version}, Kind={type.Kind}";
            throw ApiError.Internal($"failed to create typed patch object ({ns}/{name}; {gvk}): {undeclared[0]}: field not declared in schema");
        }

        applied = (JsonObject)applied.DeepClone();
        Defaulter.Normalize(applied);
        var scope = Scope(type, status: false);
        if (scope == FieldPaths.Scope.WithoutStatus)
        {
            applied.Remove("status");
        }

        lock (Store.LockFor(type.Group, type.Plural, ns, name))
        {
            var current = Store.Get(type.Group, type.Plural, ns, name);
            if (current is null)
            {
                RequireNamespace(type, ns);
            }

            var live = current?.Parse();
            FieldManagerResult result;
            try
            {
                result = FieldManager.Apply(live is null ? Skeleton(type, ns, name) : (JsonObject)live.DeepClone(), applied, manager, force, scope, type.ApiVersion, Now);
            }
            catch (ApplyConflictException ex)
            {
                throw ApiError.Conflicts(ex.Conflicts);
            }

            return (Commit(type, live, result.Object, result.Entries, result.Mine, dryRun), current is null);
        }
    }

    /// <summary>Creates an object (POST); 409 when it exists.</summary>
    public StoredObject Create(ResourceType type, string ns, JsonObject body, string manager, bool dryRun)
    {
        body = (JsonObject)body.DeepClone();
        var metadata = Defaulter.Object(body, "metadata");
        if ((string?)metadata["name"] is null or "" && (string?)metadata["generateName"] is { Length: > 0 } prefix)
        {
            metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        var name = (string?)metadata["name"] ?? string.Empty;
        CheckIdentity(type, ns, name, body);
        Defaulter.Normalize(body);
        lock (Store.LockFor(type.Group, type.Plural, ns, name))
        {
            if (Store.Get(type.Group, type.Plural, ns, name) is not null)
            {
                throw ApiError.AlreadyExists(type, name);
            }

            RequireNamespace(type, ns);
            foreach (var key in new[] { "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "deletionTimestamp" })
            {
                metadata.Remove(key);
            }

            if (type.HasStatusSubresource)
            {
                body.Remove("status");
            }

            var result = FieldManager.Update(null, body, manager, null, Scope(type, status: false), type.ApiVersion, Now);
            return Commit(type, null, body, result.Entries, result.Mine, dryRun);
        }
    }

    /// <summary>Replaces an object (PUT), conditional on its resourceVersion when the body carries one.</summary>
    public StoredObject Update(ResourceType type, string ns, string name, JsonObject body, string manager, bool dryRun, bool status)
    {
        body = (JsonObject)body.DeepClone();
        CheckIdentity(type, ns, name, body);
        Defaulter.Normalize(body);
        lock (Store.LockFor(type.Group, type.Plural, ns, name))
        {
            var current = Store.Get(type.Group, type.Plural, ns, name) ?? throw ApiError.NotFound(type, name);
            var wanted = (string?)body["metadata"]?["resourceVersion"];
            if (!string.IsNullOrEmpty(wanted) && wanted != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiError.StaleUpdate(type, name);
            }

            return Replace(type, current, body, manager, dryRun, status);
        }
    }

    /// <summary>Applies a JSON merge patch (also used for strategic merge patches) to an object.</summary>
    public StoredObject MergePatch(ResourceType type, string ns, string name, JsonObject patch, string manager, bool dryRun, bool status)
    {
        lock (Store.LockFor(type.Group, type.Plural, ns, name))
        {
            var current = Store.Get(type.Group, type.Plural, ns, name) ?? throw ApiError.NotFound(type, name);
            var body = current.Parse();
            MergePatchInto(body, patch);
            CheckIdentity(type, ns, name, body);
            Defaulter.Normalize(body);
            return Replace(type, current, body, manager, dryRun, status);
        }
    }

    /// <summary>Changes an object in place through a callback, as a controller would (status writes, test steps).</summary>
    public StoredObject? Mutate(ResourceType type, string ns, string name, string manager, bool status, Action<JsonObject> change)
    {
        lock (Store.LockFor(type.Group, type.Plural, ns, name))
        {
            var current = Store.Get(type.Group, type.Plural, ns, name);
            if (current is null)
            {
                return null;
            }

            var body = current.Parse();
            change(body);
            return Replace(type, current, body, manager, dryRun: false, status);
        }
    }

    /// <summary>Deletes an object; returns the object (still terminating, or with deletionTimestamp) or null when it is gone at once.</summary>
    public (StoredObject Before, JsonObject? Terminating) Delete(ResourceType type, string ns, string name, string? propagation, string? uid, string? resourceVersion, bool dryRun)
    {
        lock (Store.LockFor(type.Group, type.Plural, ns, name))
        {
            var current = Store.Get(type.Group, type.Plural, ns, name) ?? throw ApiError.NotFound(type, name);
            if (uid is not null && uid != current.Uid)
            {
                throw ApiError.PreconditionFailed(type, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
            }

            if (resourceVersion is not null && resourceVersion != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw ApiError.PreconditionFailed(type, name, $"Precondition failed: ResourceVersion in precondition: {resourceVersion}, ResourceVersion in object meta: {current.ResourceVersion}");
            }

            var obj = current.Parse();
            var metadata = (JsonObject)obj["metadata"]!;
            var finalizers = (metadata["finalizers"] as JsonArray)?.Select(f => (string?)f).ToList() ?? [];
            var isNamespace = type.Group.Length == 0 && type.Plural == "namespaces";
            if (propagation != "Foreground" && finalizers.Count == 0 && !isNamespace)
            {
                if (!dryRun)
                {
                    Remove(type, current);
                }

                return (current, null);
            }

            // Graceful deletion: the object gets deletionTimestamp (and generation moves), then goes once its finalizers are done.
            metadata["deletionTimestamp"] = Now;
            metadata["deletionGracePeriodSeconds"] = 0;
            if (propagation == "Foreground")
            {
                var array = metadata["finalizers"] as JsonArray ?? [];
                array.Add("foregroundDeletion");
                metadata["finalizers"] = array;
            }

            if (type.HasGeneration && metadata["generation"] is JsonValue g)
            {
                metadata["generation"] = g.GetValue<long>() + 1;
            }

            if (isNamespace)
            {
                Defaulter.Object(obj, "status")["phase"] = "Terminating";
            }

            if (!dryRun)
            {
                metadata["resourceVersion"] = Store.NextResourceVersion().ToString(CultureInfo.InvariantCulture);
            }

            Order(obj, type.IsCustom);
            if (!dryRun)
            {
                if (finalizers.Count == 0)
                {
                    // Nothing else holds the object: the garbage collector (no dependents here) and namespace controller finish at once.
                    Remove(type, current);
                }
                else
                {
                    Put(type, obj);
                }
            }

            return (current, obj);
        }
    }

    private void Remove(ResourceType type, StoredObject current)
    {
        Store.Remove(type.Group, type.Plural, current.Namespace, current.Name);
        if (type.Group.Length == 0 && type.Plural == "namespaces")
        {
            Store.RemoveNamespace(current.Name);
        }

        if (type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions")
        {
            var crd = current.Parse();
            var group = (string?)crd["spec"]?["group"] ?? string.Empty;
            var plural = (string?)crd["spec"]?["names"]?["plural"] ?? string.Empty;
            foreach (var o in Store.List(group, plural, null))
            {
                Store.Remove(group, plural, o.Namespace, o.Name);
            }

            Registry.Undefine(current.Name);
        }

        Changed?.Invoke(current, true);
    }

    private StoredObject Replace(ResourceType type, StoredObject current, JsonObject body, string manager, bool dryRun, bool status)
    {
        var live = current.Parse();
        var metadata = Defaulter.Object(body, "metadata");
        metadata.Remove("managedFields");
        if (status)
        {
            // A status write changes only status.
            var updated = (JsonObject)live.DeepClone();
            updated["status"] = body["status"]?.DeepClone();
            body = updated;
        }
        else if (type.HasStatusSubresource)
        {
            body["status"] = live["status"]?.DeepClone();
        }

        var result = FieldManager.Update(live, body, manager, status ? "status" : null, Scope(type, status), type.ApiVersion, Now);
        return Commit(type, live, body, result.Entries, result.Mine, dryRun, validate: !status);
    }

    /// <summary>The shared last step of every write: identity, defaults, validation, generation, managedFields, resourceVersion, store.</summary>
    private StoredObject Commit(ResourceType type, JsonObject? live, JsonObject obj, List<ManagedEntry> entries, ManagedEntry mine, bool dryRun, bool validate = true)
    {
        var now = Now;
        var metadata = Defaulter.Object(obj, "metadata");
        var creating = live is null;
        if (creating)
        {
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = now;
            if (type.HasGeneration)
            {
                metadata["generation"] = 1;
            }
        }
        else
        {
            var liveMetadata = (JsonObject)live!["metadata"]!;
            foreach (var key in new[] { "uid", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds" })
            {
                metadata.Remove(key);
                if (liveMetadata[key] is { } value)
                {
                    metadata[key] = value.DeepClone();
                }
            }
        }

        metadata.Remove("resourceVersion");
        metadata.Remove("managedFields");
        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        Defaulter.Apply(type, obj, creating);
        if (validate)
        {
            var causes = Validator.Validate(type, obj);
            if (causes.Count > 0)
            {
                throw ApiError.Invalid(type, (string?)metadata["name"] ?? string.Empty, causes);
            }
        }

        if (!creating && type.HasGeneration && !SameIgnoring(live!, obj, "metadata", "status"))
        {
            metadata["generation"] = ((long?)live!["metadata"]?["generation"] ?? 0) + 1;
        }

        if (!creating)
        {
            var liveWithoutVersion = (JsonObject)live!.DeepClone();
            ((JsonObject)liveWithoutVersion["metadata"]!).Remove("resourceVersion");
            ((JsonObject)liveWithoutVersion["metadata"]!).Remove("managedFields");
            var changed = !FieldPaths.JsonEquals(liveWithoutVersion, obj);
            if (changed)
            {
                mine.Time = now;
            }

            ManagedEntry.Write(obj, entries);
            var liveEntries = live["metadata"]?["managedFields"];
            if (!changed && FieldPaths.JsonEquals(liveEntries, obj["metadata"]?["managedFields"]))
            {
                // Nothing moved: the real server does not write, so resourceVersion stays.
                return StoredObject.From(type.Group, type.Plural, live, type.IsCustom);
            }
        }
        else
        {
            ManagedEntry.Write(obj, entries);
        }

        if (!dryRun)
        {
            metadata["resourceVersion"] = Store.NextResourceVersion().ToString(CultureInfo.InvariantCulture);
        }
        else if (!creating)
        {
            metadata["resourceVersion"] = live!["metadata"]?["resourceVersion"]?.DeepClone();
        }

        Order(obj, type.IsCustom);
        var stored = StoredObject.From(type.Group, type.Plural, obj, type.IsCustom);
        if (dryRun)
        {
            return stored;
        }

        if (metadata["deletionTimestamp"] is not null && metadata["finalizers"] is not JsonArray { Count: > 0 })
        {
            Remove(type, stored);
            return stored;
        }

        Put(type, obj, stored);
        return stored;
    }

    private void Put(ResourceType type, JsonObject obj, StoredObject? stored = null)
    {
        stored ??= StoredObject.From(type.Group, type.Plural, obj, type.IsCustom);
        Store.Put(stored);
        if (type.Group == "apiextensions.k8s.io" && type.Plural == "customresourcedefinitions")
        {
            Registry.Define(obj);
        }

        Changed?.Invoke(stored, false);
    }

    private void RequireNamespace(ResourceType type, string ns)
    {
        if (type.Namespaced && options.RequireNamespace && Store.Get(string.Empty, "namespaces", string.Empty, ns) is null)
        {
            throw ApiError.NamespaceNotFound(ns);
        }
    }

    private static void CheckIdentity(ResourceType type, string ns, string name, JsonObject body)
    {
        var metadata = body["metadata"] as JsonObject;
        var bodyName = (string?)metadata?["name"];
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var bodyNamespace = (string?)metadata?["namespace"];
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != ns)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (body["kind"] is JsonValue kind && (string?)kind is { Length: > 0 } k && k != type.Kind)
        {
            throw ApiError.BadRequest($"the kind of the object ({k}) does not match the kind served here ({type.Kind})");
        }

        if (metadata is not null && type.Namespaced)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata?.Remove("namespace");
        }
    }

    private static JsonObject Skeleton(ResourceType type, string ns, string name)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (type.Namespaced)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind, ["metadata"] = metadata };
    }

    private static FieldPaths.Scope Scope(ResourceType type, bool status) =>
        status ? FieldPaths.Scope.StatusOnly : type.HasStatusSubresource ? FieldPaths.Scope.WithoutStatus : FieldPaths.Scope.All;

    private static bool SameIgnoring(JsonObject a, JsonObject b, params string[] ignored)
    {
        var keys = a.Select(p => p.Key).Concat(b.Select(p => p.Key)).Where(k => !ignored.Contains(k)).Distinct();
        return keys.All(k => FieldPaths.JsonEquals(a[k], b[k]));
    }

    /// <summary>RFC 7386 merge patch.</summary>
    private static void MergePatchInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                MergePatchInto(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }

    /// <summary>Puts keys in the order the real server serialises: kind, apiVersion, metadata (Go field order), the rest; custom resources sorted.</summary>
    private static void Order(JsonObject obj, bool custom)
    {
        if (custom)
        {
            SortRecursively(obj);
            return;
        }

        if (obj["metadata"] is JsonObject metadata)
        {
            Reorder(metadata, MetadataOrder);
        }

        Reorder(obj, ["kind", "apiVersion", "metadata"]);
    }

    private static void SortRecursively(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var pairs = obj.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                obj.Clear();
                foreach (var (k, v) in pairs)
                {
                    SortRecursively(v);
                    obj[k] = v;
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    SortRecursively(item);
                }

                break;
        }
    }

    private static void Reorder(JsonObject obj, string[] order)
    {
        var pairs = obj.ToList();
        obj.Clear();
        foreach (var key in order)
        {
            var index = pairs.FindIndex(p => p.Key == key);
            if (index >= 0)
            {
                obj[key] = pairs[index].Value;
            }
        }

        foreach (var (k, v) in pairs.Where(p => !order.Contains(p.Key)))
        {
            obj[k] = v;
        }
    }
}
