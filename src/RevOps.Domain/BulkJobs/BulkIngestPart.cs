using System.Text;
using RevOps.Domain.Errors;
using RevOps.Domain.Imports;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;

namespace RevOps.Domain.BulkJobs;

/// <summary>What one data part did: its successful and failed results as CSV records (no header), and their counts.</summary>
public sealed record BulkPartResults(StringBuilder Ok, int OkRows, StringBuilder Fail, int FailRows);

/// <summary>
/// Writes the rows of one ingest part: inserts, updates and upserts through the import engine (<see cref="ImportWriter"/>, so the
/// same field, duplicate and change-log rules as every channel), deletes through <see cref="BulkWrite"/>. A malformed row fails
/// on its own; results carry sf__Id and sf__Created (or sf__Error), then the row's values as uploaded.
/// </summary>
public sealed class BulkIngestPart(BulkJob job, ObjectMetadata obj, TenantSchema schema, ImportColumns? columns, BulkWrite bulk, Func<Caller, ImportWriter>? writerFor)
{
    public async Task<BulkPartResults> WriteAsync(Caller caller, IReadOnlyList<BulkCsvRow> rows, IReadOnlySet<string>? landed, CancellationToken ct)
    {
        var results = new BulkPartResults(new StringBuilder(), 0, new StringBuilder(), 0);
        var ok = new List<(BulkCsvRow Row, string Id, bool Created)>();
        var failed = new List<(BulkCsvRow Row, string? Id, string Error)>();
        var good = new List<BulkCsvRow>();
        int width = job.Headers!.Count;
        foreach (var row in rows)
        {
            if (row.Error is { } error) failed.Add((row, null, $"{ErrorCodes.InvalidArgument}: {error}"));
            else if (row.Cells.Length != width)
                failed.Add((row, null, $"{ErrorCodes.InvalidArgument}: the row has {row.Cells.Length} values but the header has {width} columns. Check for a missing delimiter or an unclosed quote."));
            else good.Add(row);
        }
        if (job.Operation is "delete") await DeleteAsync(caller, good, landed, ok, failed, ct);
        else await WriteRowsAsync(caller, good, ok, failed, ct);

        foreach (var (row, id, created) in ok.OrderBy(r => r.Row.Number))
            BulkCsvWriter.AppendRecord(results.Ok, [id, created ? "true" : "false", .. row.Cells], job.Delimiter, job.NewLine);
        foreach (var (row, id, error) in failed.OrderBy(r => r.Row.Number))
            BulkCsvWriter.AppendRecord(results.Fail, [id ?? "", error, .. row.Cells], job.Delimiter, job.NewLine);
        return results with { OkRows = ok.Count, FailRows = failed.Count };
    }

    int IdColumn => job.Headers!.ToList().FindIndex(h => string.Equals(h.Trim(), "Id", StringComparison.OrdinalIgnoreCase));

    async Task DeleteAsync(Caller caller, List<BulkCsvRow> rows, IReadOnlySet<string>? landed, List<(BulkCsvRow, string, bool)> ok, List<(BulkCsvRow, string?, string)> failed, CancellationToken ct)
    {
        int idColumn = IdColumn;
        var items = new List<BatchItem>();
        var itemRows = new List<BulkCsvRow>();
        foreach (var row in rows)
        {
            string id = row.Cells[idColumn].Trim();
            if (id.Length == 0) { failed.Add((row, null, "MISSING_ARGUMENT: Id not specified in a delete. Give each row the Id of the record to delete.")); continue; }
            var of = RecordService.ObjectOfId(id, schema);
            if (!of.IsOk || of.Value.Name != obj.Name) { failed.Add((row, id, $"{ErrorCodes.MalformedId}: '{Clip(id)}' is not the Id of a {obj.Name}.")); continue; }
            items.Add(new BatchItem(BatchOperation.Delete, obj, id, new RecordInput([])));
            itemRows.Add(row);
        }
        if (items.Count == 0) return;
        var outcome = await bulk.ApplyAsync(caller, items, allOrNone: false, _ => ValueTask.CompletedTask, ct);
        for (int i = 0; i < items.Count; i++)
        {
            var result = outcome.Results[i];
            string id = items[i].Id!;
            // A resumed part: a record deleted before the stop is deleted once, and reported so.
            if (result is { Error: { } e } && landed?.Contains(id) == true && e.Code == ErrorCodes.EntityIsDeleted) result = new BatchItemResult(id, null);
            if (result is null) failed.Add((itemRows[i], id, "PROCESSING_HALTED: not written; the job stopped first."));
            else if (result.Error is { } error) failed.Add((itemRows[i], id, error.ToString()));
            else ok.Add((itemRows[i], id, false));
        }
    }

    async Task WriteRowsAsync(Caller caller, List<BulkCsvRow> rows, List<(BulkCsvRow, string, bool)> ok, List<(BulkCsvRow, string?, string)> failed, CancellationToken ct)
    {
        var input = new List<ImportRow>(rows.Count);
        var byNumber = new Dictionary<long, BulkCsvRow>(rows.Count);
        int idColumn = IdColumn;
        foreach (var row in rows)
        {
            if (job.Operation == "update" && row.Cells[idColumn].Trim() is "" or BulkJobs.NullValue)
            {
                failed.Add((row, null, "MISSING_ARGUMENT: Id not specified in an update. Give each row the Id of the record to update."));
                continue;
            }
            // #N/A sets a field to null; in a parent or key column it names nothing, as an empty cell does.
            var cells = row.Cells.Select((c, i) => c.Trim() == BulkJobs.NullValue && columns!.Columns[i] is not ImportColumn.Field ? "" : c).ToArray();
            if (job.ExternalIdField is { } key && columns!.Columns.OfType<ImportColumn.Field>().FirstOrDefault(c => string.Equals(c.Metadata.Name, key, StringComparison.OrdinalIgnoreCase)) is { } keyColumn
                && cells[keyColumn.Index].Trim() == BulkJobs.NullValue)
                cells[keyColumn.Index] = "";
            input.Add(new ImportRow(row.Number, cells));
            byNumber[row.Number] = row;
        }
        if (input.Count == 0) return;
        var written = await writerFor!(caller).WriteAsync(input, ct);
        foreach (var result in written)
        {
            var row = byNumber[result.Row.Number];
            switch (result.Status)
            {
                case ImportRowStatus.Created: ok.Add((row, result.Id!, true)); break;
                case ImportRowStatus.Updated: ok.Add((row, result.Id!, false)); break;
                default:
                    string where = result.Column is { } column ? $" ({column}{(result.Value is { } v ? $": '{Clip(v)}'" : "")})" : "";
                    failed.Add((row, result.Id, (result.Reason ?? "Not written.") + where));
                    break;
            }
        }
    }

    static string Clip(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
