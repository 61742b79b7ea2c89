using System.Text;
using System.Text.Json;
using RevOps.Domain.Records;

namespace RevOps.Storage.ChangeLog;

/// <summary>The change log's field column: {"Field": {"before": …, "after": …}, …}.</summary>
internal static class ChangeJson
{
    public static string Serialize(IReadOnlyList<FieldChange> changes)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            ValueJson.WriteChanges(writer, changes);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
