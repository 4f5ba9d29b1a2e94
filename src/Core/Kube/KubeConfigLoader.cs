using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Yaml;

namespace Ferry.Core.Kube;

/// <summary>Reads kubeconfig files as kubectl does: an explicit file, else the <c>KUBECONFIG</c> list merged (first wins per name), else <c>~/.kube/config</c>.</summary>
public static class KubeConfigLoader
{
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
        var clusters = new Dictionary<string, KubeConfigCluster>(StringComparer.Ordinal);
        var users = new Dictionary<string, KubeConfigUser>(StringComparer.Ordinal);
        var contexts = new Dictionary<string, KubeConfigContext>(StringComparer.Ordinal);
        string? current = null;
        foreach (var config in configs)
        {
            current ??= string.IsNullOrEmpty(config.CurrentContext) ? null : config.CurrentContext;
            foreach (var (name, value) in config.Clusters)
            {
                clusters.TryAdd(name, value);
            }

            foreach (var (name, value) in config.Users)
            {
                users.TryAdd(name, value);
            }

            foreach (var (name, value) in config.Contexts)
            {
                contexts.TryAdd(name, value);
            }
        }

        return new KubeConfig { Files = configs.SelectMany(c => c.Files).ToArray(), CurrentContext = current, Clusters = clusters, Users = users, Contexts = contexts };
    }

    /// <summary>Parses one kubeconfig's text; relative paths in it resolve against <paramref name="file"/>'s folder.</summary>
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

        var reader = new Reader(file);
        if (root is null)
        {
            return new KubeConfig { Files = [file] };
        }

        var top = reader.Object(root, "(document)") ?? throw reader.Error("(document)", "must be a mapping");
        var clusters = new Dictionary<string, KubeConfigCluster>(StringComparer.Ordinal);
        foreach (var (entry, name, field) in reader.Named(top, "clusters", "cluster"))
        {
            clusters.TryAdd(name, new KubeConfigCluster
            {
                Name = name,
                Server = reader.String(entry, "server", field),
                CertificateAuthority = reader.PathOf(entry, "certificate-authority", field),
                CertificateAuthorityData = reader.Base64(entry, "certificate-authority-data", field),
                InsecureSkipTlsVerify = reader.Bool(entry, "insecure-skip-tls-verify", field),
                TlsServerName = reader.String(entry, "tls-server-name", field),
                SourceFile = file,
                Field = field,
            });
        }

        var users = new Dictionary<string, KubeConfigUser>(StringComparer.Ordinal);
        foreach (var (entry, name, field) in reader.Named(top, "users", "user"))
        {
            users.TryAdd(name, new KubeConfigUser
            {
                Name = name,
                Token = reader.String(entry, "token", field),
                TokenFile = reader.PathOf(entry, "tokenFile", field),
                ClientCertificate = reader.PathOf(entry, "client-certificate", field),
                ClientCertificateData = reader.Base64(entry, "client-certificate-data", field),
                ClientKey = reader.PathOf(entry, "client-key", field),
                ClientKeyData = reader.Base64(entry, "client-key-data", field),
                Exec = reader.Exec(entry, $"{field}.exec"),
                SourceFile = file,
                Field = field,
            });
        }

        var contexts = new Dictionary<string, KubeConfigContext>(StringComparer.Ordinal);
        foreach (var (entry, name, field) in reader.Named(top, "contexts", "context"))
        {
            contexts.TryAdd(name, new KubeConfigContext
            {
                Name = name,
                Cluster = reader.String(entry, "cluster", field),
                User = reader.String(entry, "user", field),
                Namespace = reader.String(entry, "namespace", field),
                SourceFile = file,
                Field = field,
            });
        }

        return new KubeConfig
        {
            Files = [file],
            CurrentContext = reader.String(top, "current-context", null),
            Clusters = clusters,
            Users = users,
            Contexts = contexts,
        };
    }

    /// <summary>Typed field access that names the file and the field path in every error.</summary>
    private sealed class Reader(string file)
    {
        private readonly string _directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";

        public KubeConfigException Error(string field, string reason) => new(file, field, reason);

        public JsonObject? Object(JsonNode? node, string field) => node switch
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
                var item = Object(array[i], at) ?? throw Error(at, "must be a mapping");
                var name = String(item, "name", at);
                if (string.IsNullOrEmpty(name))
                {
                    throw Error($"{at}.name", "is required");
                }

                var entry = Object(item[itemName], $"{at}.{itemName}") ?? new JsonObject();
                yield return (entry, name, $"{at}.{itemName}");
            }
        }

        public string? String(JsonObject obj, string key, string? parent)
        {
            var node = obj[key];
            return node switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v => v.ToJsonString(),
                _ => throw Error(Join(parent, key), "must be a string"),
            };
        }

        public bool Bool(JsonObject obj, string key, string parent) => obj[key] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw Error(Join(parent, key), "must be true or false"),
        };

        public string? PathOf(JsonObject obj, string key, string parent)
        {
            var value = String(obj, key, parent);
            return string.IsNullOrEmpty(value) ? null : Path.GetFullPath(value, _directory);
        }

        public string? Base64(JsonObject obj, string key, string parent)
        {
            var value = String(obj, key, parent);
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(value));
            }
            catch (FormatException)
            {
                throw Error(Join(parent, key), "is not valid base64");
            }
        }

        public KubeExecConfig? Exec(JsonObject user, string field)
        {
            var exec = Object(user["exec"], field);
            if (exec is null)
            {
                return null;
            }

            var apiVersion = String(exec, "apiVersion", field);
            if (apiVersion is not ("client.authentication.k8s.io/v1" or "client.authentication.k8s.io/v1beta1"))
            {
                throw Error($"{field}.apiVersion", $"\"{apiVersion}\" is not supported (use client.authentication.k8s.io/v1 or v1beta1)");
            }

            var command = String(exec, "command", field);
            if (string.IsNullOrEmpty(command))
            {
                throw Error($"{field}.command", "is required");
            }

            var args = new List<string>();
            if (exec["args"] is { } argsNode)
            {
                if (argsNode is not JsonArray argsArray)
                {
                    throw Error($"{field}.args", "must be a list of strings");
                }

                for (var i = 0; i < argsArray.Count; i++)
                {
                    args.Add(argsArray[i] is JsonValue v ? (v.TryGetValue<string>(out var s) ? s : v.ToJsonString()) : throw Error($"{field}.args[{i}]", "must be a string"));
                }
            }

            var env = new List<KeyValuePair<string, string>>();
            if (exec["env"] is { } envNode)
            {
                if (envNode is not JsonArray envArray)
                {
                    throw Error($"{field}.env", "must be a list of {name, value}");
                }

                for (var i = 0; i < envArray.Count; i++)
                {
                    var at = $"{field}.env[{i}]";
                    var item = Object(envArray[i], at) ?? throw Error(at, "must be a mapping");
                    var name = String(item, "name", at);
                    if (string.IsNullOrEmpty(name))
                    {
                        throw Error($"{at}.name", "is required");
                    }

                    env.Add(new(name, String(item, "value", at) ?? string.Empty));
                }
            }

            return new KubeExecConfig
            {
                ApiVersion = apiVersion,
                Command = command,
                Args = args,
                Env = env,
                ProvideClusterInfo = Bool(exec, "provideClusterInfo", field),
                InstallHint = String(exec, "installHint", field),
                BaseDirectory = _directory,
            };
        }

        private static string Join(string? parent, string key) => parent is null ? key : $"{parent}.{key}";
    }
}
