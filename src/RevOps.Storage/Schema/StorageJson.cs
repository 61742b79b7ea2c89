using System.Text.Json.Serialization;

namespace RevOps.Storage.Schema;

[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class StorageJson : JsonSerializerContext;
