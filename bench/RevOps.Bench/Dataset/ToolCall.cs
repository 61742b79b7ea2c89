using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RevOps.Bench.Dataset;

/// <summary>One prepared MCP tools/call: its request body and bytes the correct answer must contain.</summary>
public sealed record ToolCall(byte[] Body, byte[] Expected, string Description)
{
    /// <summary>The JSON-RPC request for <paramref name="tool"/> with string arguments, escaped as JSON requires.</summary>
    public static ToolCall Create(string tool, IReadOnlyList<KeyValuePair<string, string>> arguments, string expected, string description)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("jsonrpc", "2.0");
            json.WriteNumber("id", 1);
            json.WriteString("method", "tools/call");
            json.WriteStartObject("params");
            json.WriteString("name", tool);
            json.WriteStartObject("arguments");
            foreach (var (name, value) in arguments) json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return new ToolCall(buffer.WrittenSpan.ToArray(), Encoding.UTF8.GetBytes(expected), description);
    }

    /// <summary>The text a JSON answer holds for a string property in structuredContent, e.g. "Id":"003…".</summary>
    public static string Property(string name, string value) => $"\"{name}\":{JsonSerializer.Serialize(value, ToolArgumentsJson.Default.String)}";
}
