using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ferry.Simulator;

/// <summary>Serialiser settings matching what the real server emits (no needless escaping).</summary>
internal static class JsonText
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };
}
