using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RevOps.Server.Json;

/// <summary>Source-generated JSON metadata for the shapes the server writes outside the MCP SDK.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Admin.CreateTenantRequest))]
[JsonSerializable(typeof(Admin.CreateTenantResponse))]
[JsonSerializable(typeof(Admin.CreateWebhookRequest))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(Auth.ProtectedResourceMetadata.Metadata))]
internal sealed partial class ServerJson : JsonSerializerContext;

/// <summary>A plain error body for non-MCP endpoints: {"error", "message"}.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("message")] string Message);
