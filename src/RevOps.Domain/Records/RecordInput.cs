using System.Text.Json;

namespace RevOps.Domain.Records;

/// <summary>Field values as a caller sent them, before validation.</summary>
public sealed record RecordInput(IReadOnlyList<KeyValuePair<string, JsonElement>> Fields)
{
    public static RecordInput From(IEnumerable<KeyValuePair<string, JsonElement>> fields) => new(fields.ToArray());
}
