using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KeraLua;
using LuaState = KeraLua.Lua;

namespace Ferry.Core.Health;

/// <summary>
/// Runs an Argo CD-style Lua health script (<c>resource.customizations.health.&lt;group_kind&gt;</c>) against a live object, sandboxed:
/// the script sees Argo's <c>obj</c> global and only the pure libraries (<c>string</c>, <c>table</c>, <c>math</c>, <c>utf8</c> and the
/// safe base functions) — no <c>os</c>, <c>io</c>, <c>require</c>, <c>load</c>, <c>debug</c>, metatables or coroutines — and is stopped
/// after <see cref="InstructionLimit"/> VM instructions or <see cref="MemoryLimitKiB"/> KiB of Lua heap.
/// </summary>
public static class LuaHealthScript
{
    /// <summary>VM instructions a script may run before it is stopped (Argo's scripts need a few hundred).</summary>
    public const int InstructionLimit = 10_000_000;

    /// <summary>Lua heap a script may use, in KiB.</summary>
    public const int MemoryLimitKiB = 64 * 1024;

    /// <summary>Argo's message for a status that is not one of its names.</summary>
    public const string InvalidStatusMessage = "Lua returned an invalid health status";

    private const int HookEvery = 1_000;

    // The trusted wrapper runs in the state's real globals, builds a fresh environment for the untrusted chunk, and limits it with a
    // count hook written in Lua: an error raised by a Lua hook unwinds inside the Lua VM to the wrapper's own pcall, so no managed frame
    // is ever skipped by Lua's longjmp. pcall/xpcall are not offered to scripts, so they cannot swallow the limit errors.
    private const string Wrapper = """
        local source, chunkname, obj, limit, every, memory = ...
        local sethook, gc, error, pairs = debug.sethook, collectgarbage, error, pairs
        local function copy(lib)
          local t = {}
          for k, v in pairs(lib) do t[k] = v end
          return t
        end
        local rep = string.rep
        string.rep = function(s, n, sep)
          if type(n) == "number" and (#s + #(sep or "")) * n > 1048576 then
            error("string.rep: result larger than 1 MiB", 2)
          end
          return rep(s, n, sep)
        end
        string.dump = nil
        local env = {
          obj = obj, assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, print = function() end,
          rawequal = rawequal, rawget = rawget, rawlen = rawlen, rawset = rawset, select = select, tonumber = tonumber,
          tostring = tostring, type = type, unpack = table.unpack,
          string = copy(string), table = copy(table), math = copy(math), utf8 = copy(utf8),
        }
        env._G = env
        local chunk, err = load(source, chunkname, "t", env)
        if not chunk then return false, err end
        local count = 0
        sethook(function()
          count = count + every
          if count > limit then error("script stopped after " .. limit .. " instructions (loop without end?)", 0) end
          if gc("count") > memory then error("script stopped: more than " .. memory .. " KiB of memory", 0) end
        end, "", every)
        local ok, result = pcall(chunk)
        sethook()
        return ok, result
        """;

    private static readonly string[] StatusNames = Enum.GetNames<HealthStatusCode>();

    /// <summary>A syntax error in the script as Lua reports it (<c>name:line: message</c>), or null when it compiles.</summary>
    public static string? Check(string script, string chunkName)
    {
        ArgumentNullException.ThrowIfNull(script);
        using var lua = new NLua.Lua(openLibs: false);
        var state = lua.State;
        return state.LoadString(script, "=" + chunkName) == LuaStatus.OK ? null : state.ToString(-1, false);
    }

    /// <summary>
    /// The script's verdict on <paramref name="live"/>: its returned <c>status</c>/<c>message</c>; null when it returns nothing (no health);
    /// Unknown with the script's error message when it fails, exceeds a limit, returns something else than a table, or an invalid status.
    /// </summary>
    public static HealthStatus? Run(string script, string chunkName, JsonObject live)
    {
        ArgumentNullException.ThrowIfNull(script);
        ArgumentNullException.ThrowIfNull(live);
        using var lua = new NLua.Lua(openLibs: true);
        var state = lua.State;
        if (state.LoadString(Wrapper, "=ferry-health-sandbox") != LuaStatus.OK)
        {
            throw new InvalidOperationException("the health sandbox does not compile: " + state.ToString(-1, false));
        }

        state.PushString(script);
        state.PushString("=" + chunkName);
        Push(state, live);
        state.PushInteger(InstructionLimit);
        state.PushInteger(HookEvery);
        state.PushInteger(MemoryLimitKiB);
        if (state.PCall(6, 2, 0) != LuaStatus.OK)
        {
            return Unknown(state.ToString(-1, false));
        }

        if (!state.ToBoolean(-2))
        {
            return Unknown(state.Type(-1) == LuaType.String ? state.ToString(-1, false) : "the script raised a non-string error");
        }

        return Read(state);
    }

    private static HealthStatus? Read(LuaState state)
    {
        switch (state.Type(-1))
        {
            case LuaType.Nil:
                return null;
            case LuaType.Table:
                break;
            default:
                return Unknown($"expect table output from Lua script, not {state.TypeName(state.Type(-1))}");
        }

        var status = state.GetField(-1, "status") == LuaType.String ? state.ToString(-1, false) : null;
        state.Pop(1);
        var message = state.GetField(-1, "message") is LuaType.String or LuaType.Number ? state.ToString(-1, false) : null;
        state.Pop(1);
        if (status is null || !StatusNames.Contains(status, StringComparer.Ordinal))
        {
            return Unknown(InvalidStatusMessage);
        }

        return new HealthStatus(Enum.Parse<HealthStatusCode>(status, ignoreCase: false), message.NullIfEmpty());
    }

    private static HealthStatus Unknown(string message) => new(HealthStatusCode.Unknown, message);

    /// <summary>Pushes a JSON value as Argo's decoder does: objects and arrays as tables (arrays 1-based), null as nil.</summary>
    private static void Push(LuaState state, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                state.CreateTable(0, obj.Count);
                foreach (var (key, value) in obj)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    Push(state, value);
                    state.SetField(-2, key);
                }

                break;
            case JsonArray array:
                state.CreateTable(array.Count, 0);
                for (var i = 0; i < array.Count; i++)
                {
                    Push(state, array[i]);
                    state.RawSetInteger(-2, i + 1);
                }

                break;
            case JsonValue value:
                PushScalar(state, value);
                break;
            default:
                state.PushNil();
                break;
        }
    }

    private static void PushScalar(LuaState state, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                state.PushString(value.GetValue<string>());
                break;
            case JsonValueKind.True:
                state.PushBoolean(true);
                break;
            case JsonValueKind.False:
                state.PushBoolean(false);
                break;
            case JsonValueKind.Number when long.TryParse(value.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                state.PushInteger(integer);
                break;
            case JsonValueKind.Number:
                state.PushNumber(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
            default:
                state.PushNil();
                break;
        }
    }
}
