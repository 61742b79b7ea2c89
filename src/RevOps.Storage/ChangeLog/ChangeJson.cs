using System.Text;
using System.Text.Json;
using RevOps.Domain.Records;

namespace RevOps.Storage.ChangeLog;

/// <summary>The change log's field column: {"Field": {"before": …, "after": …}, …}.</summary>
internal static class ChangeJson
{
    public static string Serialize(IReadOnlyList<FieldChange> changes) =>
        Writer.Write(writer => ValueJson.WriteChanges(writer, changes), static json => Encoding.UTF8.GetString(json));

    /// <summary>The writer's default options, as the per-call writer over a stream had, so the text is the same.</summary>
    static readonly ReusedJsonWriter Writer = new(default, initialBytes: 1024);
}
