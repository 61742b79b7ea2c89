using System.Text;
using System.Text.Json;

namespace RevOps.Domain.BulkJobs;

/// <summary>
/// The stored form of uploaded rows: a JSON array of [number, error or null, values…] per row, so a part reads back exactly as
/// the upload parsed it, whatever delimiter the job uses.
/// </summary>
public static class BulkDataPart
{
    public static string Encode(IReadOnlyList<BulkCsvRow> rows)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartArray();
                json.WriteNumberValue(row.Number);
                if (row.Error is null) json.WriteNullValue(); else json.WriteStringValue(row.Error);
                foreach (var cell in row.Cells) json.WriteStringValue(cell);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static List<BulkCsvRow> Decode(string body)
    {
        using var document = JsonDocument.Parse(body);
        var rows = new List<BulkCsvRow>(document.RootElement.GetArrayLength());
        foreach (var row in document.RootElement.EnumerateArray())
        {
            int length = row.GetArrayLength();
            var cells = new string[length - 2];
            long number = 0;
            string? error = null;
            int i = 0;
            foreach (var item in row.EnumerateArray())
            {
                if (i == 0) number = item.GetInt64();
                else if (i == 1) error = item.ValueKind == JsonValueKind.Null ? null : item.GetString();
                else cells[i - 2] = item.GetString()!;
                i++;
            }
            rows.Add(new BulkCsvRow(number, cells, error));
        }
        return rows;
    }

    /// <summary>A list of strings (headers, query result records) as a JSON array, and back.</summary>
    public static string EncodeStrings(IEnumerable<string> values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var value in values) json.WriteStringValue(value);
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static List<string> DecodeStrings(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
