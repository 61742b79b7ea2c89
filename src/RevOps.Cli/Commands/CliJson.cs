using System.Text.Json.Serialization;
using RevOps.Server.Admin;

namespace RevOps.Cli.Commands;

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(CreateTenantResponse))]
[JsonSerializable(typeof(CreatedKey))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJson : JsonSerializerContext;

internal sealed record CreatedKey(
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("expires_at")] DateTime? ExpiresAt,
    [property: JsonPropertyName("message")] string Message);
