using System.Reflection;
using System.Runtime.ExceptionServices;
using LibGit2Sharp;

namespace Ferry.Core.Git;

/// <summary>
/// A fetch with a depth. LibGit2Sharp 0.32 carries <see cref="FetchOptions.Depth"/> into clones only: <see cref="Commands.Fetch"/>
/// drops it, so a fetch of one commit would bring its whole history. This does what <see cref="Commands.Fetch"/> does, through
/// LibGit2Sharp's own (internal) native bindings, with the depth set. Should a later LibGit2Sharp move those internals, the
/// fetch falls back to <see cref="Commands.Fetch"/> (complete, only deeper); the cache's tests check that a fetch is shallow.
/// </summary>
internal static class LibGit2ShallowFetch
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Lazy<Bindings?> Reflected = new(Reflect);

    /// <summary>Fetches the refspecs from the named remote with <paramref name="options"/>, <paramref name="depth"/> commits deep (0 = all).</summary>
    public static void Fetch(Repository repo, string remoteName, IReadOnlyList<string> refspecs, FetchOptions options, int depth)
    {
        if (depth == 0 || Reflected.Value is not { } b)
        {
            Commands.Fetch(repo, remoteName, refspecs, options, null);
            return;
        }

        try
        {
            using var remote = (IDisposable)b.Lookup.Invoke(null, [b.RepositoryHandle.GetValue(repo), remoteName, true])!;
            using var wrapper = (IDisposable)Activator.CreateInstance(b.Wrapper, nonPublic: true)!;
            var fetchOptions = b.Options.GetValue(wrapper)!;
            // The callbacks object holds the delegates libgit2 calls back into; it must outlive the fetch.
            var callbacks = Activator.CreateInstance(b.Callbacks, Any, null, [options], null)!;
            b.RemoteCallbacks.SetValue(fetchOptions, b.Generate.Invoke(callbacks, null));
            b.DownloadTags.SetValue(fetchOptions, options.TagFetchMode ?? TagFetchMode.None);
            var proxy = Activator.CreateInstance(b.ProxyOptions.FieldType)!;
            b.ProxyVersion.SetValue(proxy, Convert.ChangeType(1, b.ProxyVersion.FieldType, System.Globalization.CultureInfo.InvariantCulture));
            b.ProxyOptions.SetValue(fetchOptions, proxy);
            b.Depth.SetValue(fetchOptions, depth);
            b.Fetch.Invoke(null, [remote, refspecs, fetchOptions, null]);
            GC.KeepAlive(callbacks);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
        }
    }

    private static Bindings? Reflect()
    {
        var library = typeof(Repository).Assembly;
        var proxy = library.GetType("LibGit2Sharp.Core.Proxy");
        var wrapper = library.GetType("LibGit2Sharp.Core.GitFetchOptionsWrapper");
        var callbacks = library.GetType("LibGit2Sharp.RemoteCallbacks");
        var optionsType = library.GetType("LibGit2Sharp.Core.GitFetchOptions");
        if (proxy is null || wrapper is null || callbacks is null || optionsType is null)
        {
            return null;
        }

        var proxyOptions = optionsType.GetField("ProxyOptions", Any);
        var bindings = new Bindings(
            proxy.GetMethods(Any).FirstOrDefault(m => m.Name == "git_remote_lookup" && m.GetParameters().Length == 3)!,
            proxy.GetMethods(Any).FirstOrDefault(m => m.Name == "git_remote_fetch" && m.GetParameters().Length == 4)!,
            typeof(Repository).GetProperty("Handle", Any)!,
            wrapper,
            wrapper.GetProperty("Options", Any)!,
            callbacks,
            callbacks.GetMethod("GenerateCallbacks", Any)!,
            optionsType.GetField("RemoteCallbacks", Any)!,
            optionsType.GetField("download_tags", Any)!,
            proxyOptions!,
            proxyOptions?.FieldType.GetField("Version", Any)!,
            optionsType.GetField("Depth", Any)!);
        return bindings.Complete ? bindings : null;
    }

    private sealed record Bindings(
        MethodInfo Lookup,
        MethodInfo Fetch,
        PropertyInfo RepositoryHandle,
        Type Wrapper,
        PropertyInfo Options,
        Type Callbacks,
        MethodInfo Generate,
        FieldInfo RemoteCallbacks,
        FieldInfo DownloadTags,
        FieldInfo ProxyOptions,
        FieldInfo ProxyVersion,
        FieldInfo Depth)
    {
        public bool Complete =>
            Lookup is not null && Fetch is not null && RepositoryHandle is not null && Options is not null && Generate is not null
            && RemoteCallbacks is not null && DownloadTags is not null && ProxyOptions is not null && ProxyVersion is not null
            && Depth is not null && Depth.FieldType == typeof(int);
    }
}
