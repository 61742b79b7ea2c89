using System.Text.Json.Serialization;

namespace RevOps.Domain;

/// <summary>Source-generated JSON for the few values the domain builds itself.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class DomainJson : JsonSerializerContext;
