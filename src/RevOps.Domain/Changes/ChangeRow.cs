using System.Text.Json;

namespace RevOps.Domain.Changes;

/// <summary>
/// One change-log row as readers see it. <paramref name="Changes"/> is the stored
/// {"Field": {"before": …, "after": …}} object, values in Salesforce's JSON shapes.
/// </summary>
public sealed record ChangeRow(
    long Seq,
    DateTime At,
    string Object,
    string RecordId,
    string Operation,
    JsonElement Changes,
    string ActorId,
    string Channel,
    string? RequestId)
{
    /// <summary>The acting user's name when the change was made (null for rows of callers without a user).</summary>
    public string? ActorName { get; init; }

    /// <summary>The API key the change came with (null for tokens, the CLI, stdio).</summary>
    public string? KeyId { get; init; }

    /// <summary>The names of the fields this change touched, in stored order.</summary>
    public IEnumerable<string> Fields => Changes.EnumerateObject().Select(p => p.Name);

    public JsonElement Before(string field) => Changes.GetProperty(field).GetProperty("before");

    public JsonElement After(string field) => Changes.GetProperty(field).GetProperty("after");
}
