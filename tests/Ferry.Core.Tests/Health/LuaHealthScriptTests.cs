using System.Text.Json.Nodes;
using Ferry.Core.Health;

namespace Ferry.Core.Tests.Health;

public class LuaHealthScriptTests
{
    private const string Name = "resource.customizations.health.example.com_Widget";

    /// <summary>The shape of Argo CD's documented cert-manager example: global <c>hs</c>, conditions loop, early returns.</summary>
    private const string ConditionsScript = """
        hs = {}
        if obj.status ~= nil then
          if obj.status.conditions ~= nil then
            for i, condition in ipairs(obj.status.conditions) do
              if condition.type == "Ready" and condition.status == "False" then
                hs.status = "Degraded"
                hs.message = condition.message
                return hs
              end
              if condition.type == "Ready" and condition.status == "True" then
                hs.status = "Healthy"
                hs.message = condition.message
                return hs
              end
            end
          end
        end
        hs.status = "Progressing"
        hs.message = "Waiting for widget"
        return hs
        """;

    public static TheoryData<string, string, string, HealthStatusCode?, string?> Rows { get; } = new()
    {
        { "ready true", ConditionsScript, """{"status":{"conditions":[{"type":"Ready","status":"True","message":"all good"}]}}""", HealthStatusCode.Healthy, "all good" },
        { "ready false", ConditionsScript, """{"status":{"conditions":[{"type":"Ready","status":"False","message":"bad key"}]}}""", HealthStatusCode.Degraded, "bad key" },
        { "no status", ConditionsScript, "{}", HealthStatusCode.Progressing, "Waiting for widget" },
        { "integers stay integers", """return {status = "Healthy", message = tostring(obj.spec.replicas) .. "/" .. tostring(#obj.spec.items)}""", """{"spec":{"replicas":3,"items":["a","b"]}}""", HealthStatusCode.Healthy, "3/2" },
        { "booleans and nulls", """return {status = (obj.spec.paused and obj.spec.gone == nil) and "Suspended" or "Healthy"}""", """{"spec":{"paused":true,"gone":null}}""", HealthStatusCode.Suspended, null },
        { "string library", """return {status = "Healthy", message = string.upper(obj.kind) .. ("x"):rep(2) .. string.format("%d", 7)}""", """{"kind":"Widget"}""", HealthStatusCode.Healthy, "WIDGETxx7" },
        { "empty message is none", """return {status = "Degraded", message = ""}""", "{}", HealthStatusCode.Degraded, null },
        { "nil return is no health", "return nil", "{}", null, null },
        { "invalid status", """return {status = "Fine"}""", "{}", HealthStatusCode.Unknown, LuaHealthScript.InvalidStatusMessage },
        { "missing status", """return {message = "x"}""", "{}", HealthStatusCode.Unknown, LuaHealthScript.InvalidStatusMessage },
        { "not a table", """return "Healthy" """, "{}", HealthStatusCode.Unknown, "expect table output from Lua script, not string" },
        { "runtime error", "local x = obj.status.phase", "{}", HealthStatusCode.Unknown, Name + ":1: attempt to index a nil value (field 'status')" },
        { "error()", """error("widget is broken")""", "{}", HealthStatusCode.Unknown, Name + ":1: widget is broken" },
        { "syntax error", "if then", "{}", HealthStatusCode.Unknown, Name + ":1: unexpected symbol near 'then'" },
        { "no os", """os.execute("touch /tmp/ferry-pwned")""", "{}", HealthStatusCode.Unknown, Name + ":1: attempt to index a nil value (global 'os')" },
        { "no io", """io.open("/etc/passwd")""", "{}", HealthStatusCode.Unknown, Name + ":1: attempt to index a nil value (global 'io')" },
        { "no require", """require("os")""", "{}", HealthStatusCode.Unknown, Name + ":1: global 'require' is not callable (a nil value)" },
        { "no load", """load("return 1")""", "{}", HealthStatusCode.Unknown, Name + ":1: global 'load' is not callable (a nil value)" },
        { "no debug", """debug.sethook()""", "{}", HealthStatusCode.Unknown, Name + ":1: attempt to index a nil value (global 'debug')" },
        { "no CLR bridge", """luanet.import_type("System.IO.File")""", "{}", HealthStatusCode.Unknown, Name + ":1: attempt to index a nil value (global 'luanet')" },
        { "no metatables", """setmetatable({}, {__gc = function() end})""", "{}", HealthStatusCode.Unknown, Name + ":1: global 'setmetatable' is not callable (a nil value)" },
        { "no pcall to swallow limits", """pcall(function() end)""", "{}", HealthStatusCode.Unknown, Name + ":1: global 'pcall' is not callable (a nil value)" },
        { "endless loop", "while true do end", "{}", HealthStatusCode.Unknown, $"script stopped after {LuaHealthScript.InstructionLimit} instructions (loop without end?)" },
        { "huge string", """local s = string.rep("x", 1073741824)""", "{}", HealthStatusCode.Unknown, Name + ":1: string.rep: result larger than 1 MiB" },
        { "huge string via method", """local s = ("x"):rep(1073741824)""", "{}", HealthStatusCode.Unknown, Name + ":1: string.rep: result larger than 1 MiB" },
        { "memory", """local t = {} local s = ("x"):rep(1000000) for i = 1, 100000 do t[i] = s .. i end""", "{}", HealthStatusCode.Unknown, $"script stopped: more than {LuaHealthScript.MemoryLimitKiB} KiB of memory" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Run_Row_ReturnsArgoStatus(string row, string script, string live, HealthStatusCode? code, string? message)
    {
        var health = LuaHealthScript.Run(script, Name, JsonNode.Parse(live)!.AsObject());

        Assert.True(Equals(code is null ? null : new HealthStatus(code.Value, message), health), $"{row}: got {health}");
    }

    [Fact]
    public void Run_GlobalsOfOneRun_AreGoneInTheNext()
    {
        LuaHealthScript.Run("leftover = 'x' return {status = 'Healthy'}", Name, []);

        var health = LuaHealthScript.Run("return {status = leftover == nil and 'Healthy' or 'Degraded'}", Name, []);

        Assert.Equal(HealthStatus.Healthy, health);
    }

    [Fact]
    public void Run_ScriptChangesObj_LiveObjectUntouched()
    {
        var live = JsonNode.Parse("""{"spec":{"replicas":1}}""")!.AsObject();

        LuaHealthScript.Run("obj.spec.replicas = 5 obj.spec = nil return {status = 'Healthy'}", Name, live);

        Assert.Equal("""{"spec":{"replicas":1}}""", live.ToJsonString());
    }

    [Theory]
    [InlineData("return {status = 'Healthy'}", null)]
    [InlineData("hs = {\nif then", Name + ":2: unexpected symbol near 'if'")]
    public void Check_Script_ReportsSyntaxErrorsOnly(string script, string? expected)
    {
        Assert.Equal(expected, LuaHealthScript.Check(script, Name));
    }
}
