using System.Text.Json.Nodes;
using Ferry.Core.Yaml;
using k8s;
using k8s.KubeConfigModels;

namespace Ferry.Core.Kube;

/// <summary>
/// Finds and reads kubeconfig files as kubectl does (an explicit file, else the <c>KUBECONFIG</c> list merged first-wins, else
/// <c>~/.kube/config</c>). KubernetesClient reads each file; Ferry first checks its shape so that errors name the file, line and field.
/// </summary>
public static class KubeConfigLoader
{
    private static readonly string[] ExecApiVersions = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"];

    /// <summary>Loads the kubeconfig kubectl would use, from this process's environment.</summary>
    public static Task<KubeConfig> LoadDefaultAsync(string? explicitPath, CancellationToken cancellationToken) =>
        LoadAsync(Paths(explicitPath, Environment.GetEnvironmentVariable("KUBECONFIG"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)), explicitPath is not null, cancellationToken);

    /// <summary>The files kubectl would read, in precedence order.</summary>
    public static IReadOnlyList<string> Paths(string? explicitPath, string? kubeconfigVariable, string? home)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return [Path.GetFullPath(explicitPath)];
        }

        if (!string.IsNullOrEmpty(kubeconfigVariable))
        {
            return kubeconfigVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Path.GetFullPath)
                .Distinct(StringComparer.Ordinal)
                .ToArray();
        }

        return string.IsNullOrEmpty(home) ? [] : [Path.Combine(home, ".kube", "config")];
    }

    /// <summary>Reads and merges files; missing files are skipped (as kubectl skips missing <c>KUBECONFIG</c> entries) unless <paramref name="requireAll"/>.</summary>
    public static async Task<KubeConfig> LoadAsync(IReadOnlyList<string> files, bool requireAll, CancellationToken cancellationToken)
    {
        var parsed = new List<KubeConfig>();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!requireAll && ex is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KubeConfigException(file, null, $"cannot read the kubeconfig: {ex.Message}", inner: ex);
            }

            parsed.Add(Parse(text, file));
        }

        if (parsed.Count == 0)
        {
            throw new KubeConfigException(files.Count == 0 ? "~/.kube/config" : string.Join(Path.PathSeparator, files), null, "no kubeconfig found");
        }

        return Merge(parsed);
    }

    /// <summary>Merges configs: the first to define a cluster, user, context or current-context wins.</summary>
    public static KubeConfig Merge(IReadOnlyList<KubeConfig> configs)
    {
        var clusters = new Dictionary<string, Cluster>(StringComparer.Ordinal);
        var users = new Dictionary<string, User>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, Context>(StringComparer.Ordinal);
        var origins = new Dictionary<string, KubeConfigOrigin>(StringComparer.Ordinal);
        var tokenFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var config in configs)
        {
            current ??= string.IsNullOrEmpty(config.Model.CurrentContext) ? null : config.Model.CurrentContext;
            foreach (var cluster in config.Model.Clusters)
            {
                if (clusters.TryAdd(cluster.Name, cluster))
                {
                    origins[KubeConfig.ClusterKey(cluster.Name)] = config.Origins[KubeConfig.ClusterKey(cluster.Name)];
                }
            }

            foreach (var user in config.Model.Users)
            {
                if (users.TryAdd(user.Name, user))
                {
                    origins[KubeConfig.UserKey(user.Name)] = config.Origins[KubeConfig.UserKey(user.Name)];
                    if (config.TokenFiles.TryGetValue(user.Name, out var tokenFile))
                    {
                        tokenFiles[user.Name] = tokenFile;
                    }
                }
            }

            foreach (var context in config.Model.Contexts)
            {
                if (contexts.TryAdd(context.Name, context))
                {
                    origins[KubeConfig.ContextKey(context.Name)] = config.Origins[KubeConfig.ContextKey(context.Name)];
                }
            }
        }

        return new KubeConfig
        {
            Files = configs.SelectMany(c => c.Files).ToArray(),
            Model = new K8SConfiguration { CurrentContext = current, Clusters = [.. clusters.Values], Users = [.. users.Values], Contexts = [.. contexts.Values] },
            Origins = origins,
            TokenFiles = tokenFiles,
        };
    }

    /// <summary>Checks one kubeconfig's shape (naming file, line and field), has KubernetesClient read it, and makes its paths absolute against <paramref name="file"/>'s folder.</summary>
    public static KubeConfig Parse(string text, string file)
    {
        JsonNode? root;
        try
        {
            root = YamlReader.ReadOne(text, file);
        }
        catch (YamlFormatException ex)
        {
            throw new KubeConfigException(file, null, ex.Reason, ex.Line, ex);
        }

        var origins = new Dictionary<string, KubeConfigOrigin>(StringComparer.Ordinal);
        var tokenFiles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root is null)
        {
            return new KubeConfig { Files = [file], Model = new K8SConfiguration(), Origins = origins, TokenFiles = tokenFiles };
        }

        var shape = new Shape(file);
        var top = shape.Mapping(root, "(document)") ?? throw shape.Error("(document)", "must be a mapping");
        shape.String(top, "current-context", null);
        foreach (var (entry, name, field) in shape.Named(top, "clusters", "cluster"))
        {
            shape.String(entry, "server", field);
            shape.String(entry, "certificate-authority", field);
            shape.Base64(entry, "certificate-authority-data", field);
            shape.Bool(entry, "insecure-skip-tls-verify", field);
            shape.String(entry, "tls-server-name", field);
            origins.TryAdd(KubeConfig.ClusterKey(name), new KubeConfigOrigin(file, field));
        }

        foreach (var (entry, name, field) in shape.Named(top, "users", "user"))
        {
            foreach (var key in (string[])["token", "tokenFile", "client-certificate", "client-key", "username", "password"])
            {
                shape.String(entry, key, field);
            }

            shape.Base64(entry, "client-certificate-data", field);
            shape.Base64(entry, "client-key-data", field);
            shape.Exec(entry, $"{field}.exec");
            origins.TryAdd(KubeConfig.UserKey(name), new KubeConfigOrigin(file, field));
            if (shape.String(entry, "tokenFile", field) is { Length: > 0 } tokenFile)
            {
                tokenFiles.TryAdd(name, shape.Absolute(tokenFile));
            }
        }

        foreach (var (entry, name, field) in shape.Named(top, "contexts", "context"))
        {
            shape.String(entry, "cluster", field);
            shape.String(entry, "user", field);
            shape.String(entry, "namespace", field);
            origins.TryAdd(KubeConfig.ContextKey(name), new KubeConfigOrigin(file, field));
        }

        K8SConfiguration model;
        try
        {
            model = KubernetesYaml.Deserialize<K8SConfiguration>(text);
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new KubeConfigException(file, null, (ex.InnerException ?? ex).Message, (int)ex.Start.Line, ex);
        }

        // Relative paths are relative to the file that names them (the package resolves them against one file only).
        model.Clusters ??= [];
        model.Users ??= [];
        model.Contexts ??= [];
        foreach (var endpoint in model.Clusters.Select(c => c.ClusterEndpoint).OfType<ClusterEndpoint>())
        {
            endpoint.CertificateAuthority = shape.AbsoluteOrNull(endpoint.CertificateAuthority);
        }

        foreach (var credentials in model.Users.Select(u => u.UserCredentials).OfType<UserCredentials>())
        {
            credentials.ClientCertificate = shape.AbsoluteOrNull(credentials.ClientCertificate);
            credentials.ClientKey = shape.AbsoluteOrNull(credentials.ClientKey);
            if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains('/', StringComparison.Ordinal))
            {
                exec.Command = shape.Absolute(command);
            }
        }

        return new KubeConfig { Files = [file], Model = model, Origins = origins, TokenFiles = tokenFiles };
    }

    /// <summary>Typed checks of the fields KubernetesClient reads, naming the file and the field path in every error.</summary>
    private sealed class Shape(string file)
    {
        private readonly string _directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";

        public KubeConfigException Error(string field, string reason) => new(file, field, reason);

        public string Absolute(string path) => Path.GetFullPath(path, _directory);

        public string? AbsoluteOrNull(string? path) => string.IsNullOrEmpty(path) ? null : Absolute(path);

        public JsonObject? Mapping(JsonNode? node, string field) => node switch
        {
            null => null,
            JsonObject obj => obj,
            _ => throw Error(field, "must be a mapping"),
        };

        public IEnumerable<(JsonObject Entry, string Name, string Field)> Named(JsonObject top, string listName, string itemName)
        {
            var list = top[listName];
            if (list is null)
            {
                yield break;
            }

            if (list is not JsonArray array)
            {
                throw Error(listName, "must be a list");
            }

            for (var i = 0; i < array.Count; i++)
            {
                var at = $"{listName}[{i}]";
                var item = Mapping(array[i], at) ?? throw Error(at, "must be a mapping");
                var name = String(item, "name", at);
                if (string.IsNullOrEmpty(name))
                {
                    throw Error($"{at}.name", "is required");
                }

                yield return (Mapping(item[itemName], $"{at}.{itemName}") ?? new JsonObject(), name, $"{at}.{itemName}");
            }
        }

        public string? String(JsonObject obj, string key, string? parent) => obj[key] switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => throw Error(Join(parent, key), "must be a string"),
        };

        public void Bool(JsonObject obj, string key, string parent)
        {
            if (obj[key] is { } node && !(node is JsonValue v && v.TryGetValue<bool>(out _)))
            {
                throw Error(Join(parent, key), "must be true or false");
            }
        }

        public void Base64(JsonObject obj, string key, string parent)
        {
            if (String(obj, key, parent) is { Length: > 0 } value && !Convert.TryFromBase64String(value, new byte[value.Length], out _))
            {
                throw Error(Join(parent, key), "is not valid base64");
            }
        }

        public void Exec(JsonObject user, string field)
        {
            if (Mapping(user["exec"], field) is not { } exec)
            {
                return;
            }

            var apiVersion = String(exec, "apiVersion", field);
            if (!ExecApiVersions.Contains(apiVersion, StringComparer.Ordinal))
            {
                throw Error($"{field}.apiVersion", $"\"{apiVersion}\" is not supported (use client.authentication.k8s.io/v1 or v1beta1)");
            }

            if (string.IsNullOrEmpty(String(exec, "command", field)))
            {
                throw Error($"{field}.command", "is required");
            }

            if (exec["args"] is { } args)
            {
                var list = args as JsonArray ?? throw Error($"{field}.args", "must be a list of strings");
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is not JsonValue)
                    {
                        throw Error($"{field}.args[{i}]", "must be a string");
                    }
                }
            }

            if (exec["env"] is { } env)
            {
                var list = env as JsonArray ?? throw Error($"{field}.env", "must be a list of {name, value}");
                for (var i = 0; i < list.Count; i++)
                {
                    var item = Mapping(list[i], $"{field}.env[{i}]") ?? throw Error($"{field}.env[{i}]", "must be a mapping");
                    if (string.IsNullOrEmpty(String(item, "name", $"{field}.env[{i}]")))
                    {
                        throw Error($"{field}.env[{i}].name", "is required");
                    }

                    String(item, "value", $"{field}.env[{i}]");
                }
            }

            Bool(exec, "provideClusterInfo", field);
            String(exec, "installHint", field);
        }

        private static string Join(string? parent, string key) => parent is null ? key : $"{parent}.{key}";
    }
}
