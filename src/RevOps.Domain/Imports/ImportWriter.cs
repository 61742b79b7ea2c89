using System.Text;
using System.Text.Json;
using RevOps.Domain.Errors;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Users;
using RevOps.Domain.Writes;

namespace RevOps.Domain.Imports;

/// <summary>One data row of a file: its number (1 = the first row after the header) and its cells.</summary>
public sealed record ImportRow(long Number, IReadOnlyList<string> Cells);

public enum ImportRowStatus
{
    Created,
    Updated,
    Skipped,
    Failed,
}

/// <summary>Rows whose cells are converted (<see cref="ImportWriter.Prepare"/>): per row its failure or its field values. Written once.</summary>
public sealed record ImportRows(IReadOnlyList<ImportRow> Rows, ImportRowResult?[] Results, List<KeyValuePair<string, JsonElement>>?[] Inputs);

/// <summary>What became of one row; for a failed or skipped one, the column and value at fault (when one is) and why.</summary>
public sealed record ImportRowResult(ImportRow Row, ImportRowStatus Status, string? Id, string? Column = null, string? Value = null, string? Reason = null);

/// <summary>How rows are written.</summary>
/// <param name="UpsertOn">Id or an External ID field: rows whose value a record holds update it; the others create one.</param>
/// <param name="CreateMissingParents">A parent named by Name (Account.Name) that the tenant lacks is created.</param>
public sealed record ImportOptions(ImportFormat Format, string? UpsertOn = null, DuplicatePolicy? OnDuplicate = null, bool CreateMissingParents = false)
{
    /// <summary>A field cell holding exactly this text sets the field to null (Bulk API 2.0's #N/A); null when no text means null.</summary>
    public string? NullText { get; init; }

    /// <summary>
    /// Rows per transaction. The server's channels keep <see cref="BulkWrite.ChunkSize"/>, so one import never holds the single
    /// SQLite writer long while others wait; the CLI, alone on its database, commits a whole batch at once.
    /// </summary>
    public int ChunkRows { get; init; } = BulkWrite.ChunkSize;
}

/// <summary>
/// Writes a file's rows a batch at a time through <see cref="BulkWrite"/>, the path bulk_write takes, so imported
/// records go through the same field rules, duplicate rules, change log and webhooks as every other channel.
/// Parents named by value (Account.Name, Owner.Email) and upsert keys are looked up once per batch, never per row.
/// One writer serves one import: parents it has resolved or created are remembered for later batches.
/// </summary>
public sealed class ImportWriter(BulkWrite bulk, SoqlService soql, UserService users, Caller caller, ImportColumns columns, ImportOptions options)
{
    /// <summary>Values per IN (…) look-up, well under SOQL's statement length.</summary>
    const int LookupChunk = 300;

    static readonly JsonElement NullJson = JsonDocument.Parse("null").RootElement.Clone();

    readonly Dictionary<(string Object, string Field), Dictionary<string, List<string>>> _parents = [];
    Dictionary<string, List<string>>? _usersByEmail, _usersByUsername;

    ObjectMetadata Object => columns.Schema.Object;

    ImportJob? _job;

    /// <summary>
    /// The job this writer advances: each chunk's records, its rows not written and the job's committed row go in one
    /// transaction, so a re-run from <see cref="CommittedRow"/> never writes a row twice. Null: no job (nothing to resume).
    /// </summary>
    public ImportJob? Job
    {
        get => _job;
        init
        {
            _job = value;
            CommittedRow = value?.CommittedRow ?? 0;
        }
    }

    /// <summary>The last row whose outcome the job has committed.</summary>
    public long CommittedRow { get; private set; }

    /// <summary>Why the writer stopped and must not be given more rows (another run of the same job moved it); null while it runs.</summary>
    public CrmError? Halted { get; private set; }

    /// <summary>
    /// Writes the rows (the next ones of the file, in order) and returns what became of each. Cancellation stops between
    /// chunks of <see cref="ImportOptions.ChunkRows"/> rows: the result then ends at the last committed chunk's last row.
    /// </summary>
    public Task<IReadOnlyList<ImportRowResult>> WriteAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct) =>
        Halted is not null || ct.IsCancellationRequested ? Task.FromResult<IReadOnlyList<ImportRowResult>>([]) : WriteAsync(Prepare(rows), ct);

    /// <summary>
    /// The rows' cells converted to field values, each failing row with its error: the part of <see cref="WriteAsync(IReadOnlyList{ImportRow}, CancellationToken)"/>
    /// that reads neither the store nor this writer's state, so a caller may run it for the next rows while the previous
    /// ones are written (revops import overlaps them on a second thread). Safe to call from another thread than the writes.
    /// </summary>
    public ImportRows Prepare(IReadOnlyList<ImportRow> rows)
    {
        var results = new ImportRowResult?[rows.Count];
        var inputs = new List<KeyValuePair<string, JsonElement>>?[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var converted = Convert(rows[i]);
            if (converted.Failure is { } failure) results[i] = failure;
            else inputs[i] = converted.Fields;
        }
        return new ImportRows(rows, results, inputs);
    }

    /// <summary>Writes rows made by <see cref="Prepare"/> (the next ones of the file, in order), as <see cref="WriteAsync(IReadOnlyList{ImportRow}, CancellationToken)"/> does.</summary>
    public async Task<IReadOnlyList<ImportRowResult>> WriteAsync(ImportRows prepared, CancellationToken ct)
    {
        if (Halted is not null || ct.IsCancellationRequested) return [];
        var (rows, results, inputs) = (prepared.Rows, prepared.Results, prepared.Inputs);

        // Look-ups write nothing (parents created on the way are found by name on a re-run), so they run to the end.
        foreach (var parent in columns.Columns.OfType<ImportColumn.Parent>())
            await ResolveParentsAsync(parent, rows, results, CancellationToken.None);
        var matches = await MatchUpsertKeysAsync(rows, results, CancellationToken.None);

        var items = new BatchItem?[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (results[i] is not null) continue;
            var fields = inputs[i]!;
            foreach (var parent in columns.Columns.OfType<ImportColumn.Parent>())
            {
                string value = Cell(rows[i], parent).Trim();
                if (value.Length == 0) continue;
                var ids = ParentIds(parent)[value];
                fields.Add(new(parent.Reference.Name, JsonSerializer.SerializeToElement(ids[0], DomainJson.Default.String)));
            }
            string? id = matches?[i];
            if (id is not null && options.UpsertOn is not null)
                fields.RemoveAll(f => string.Equals(f.Key, "Id", StringComparison.OrdinalIgnoreCase));
            items[i] = new BatchItem(id is null ? BatchOperation.Create : BatchOperation.Update, Object, id, new RecordInput(fields));
        }

        int done = 0;
        for (int start = 0; start < rows.Count; start += options.ChunkRows)
        {
            if (ct.IsCancellationRequested) break;
            int end = Math.Min(rows.Count, start + options.ChunkRows);
            if (!await WriteChunkAsync(rows, start, end, items, results)) break;
            done = end;
        }
        return results.Take(done).Select(r => r!).ToArray();
    }

    /// <summary>
    /// One chunk as one transaction with the job's progress: tried all-or-none, and while an item fails, tried again
    /// without the failing items, so the valid rows land and the chunk still commits once.
    /// </summary>
    async Task<bool> WriteChunkAsync(IReadOnlyList<ImportRow> rows, int start, int end, BatchItem?[] items, ImportRowResult?[] results)
    {
        var pending = Enumerable.Range(start, end - start).Where(i => results[i] is null).ToList();
        while (true)
        {
            if (pending.Count == 0 && _job is null) return true;
            var chunk = pending.Select(i => items[i]!).ToArray();
            var attempt = pending;
            var write = new WriteOptions(OnDuplicate: options.OnDuplicate) { Mark = _job is null ? null : prepared => MarkOf(rows, start, end, attempt, chunk, prepared, results) };
            var outcome = await bulk.Batch.ApplyAsync(caller, chunk, allOrNone: true, CancellationToken.None, write);
            if (outcome.Any(r => ReferenceEquals(r.Error, RecordBatch.ImportMoved)))
            {
                Halted = RecordBatch.ImportMoved;
                return false;
            }
            if (outcome.All(r => r.Success))
            {
                for (int k = 0; k < chunk.Length; k++) results[pending[k]] = ResultOf(rows[pending[k]], chunk[k], outcome[k]);
                if (_job is not null) CommittedRow = rows[end - 1].Number;
                return true;
            }
            var again = new List<int>(pending.Count);
            for (int k = 0; k < chunk.Length; k++)
                if (ReferenceEquals(outcome[k].Error, RecordBatch.RolledBack)) again.Add(pending[k]);
                else results[pending[k]] = ResultOf(rows[pending[k]], chunk[k], outcome[k]);
            if (again.Count == pending.Count)
            {
                foreach (int i in again) results[i] = Failed(rows[i], null, RecordBatch.RolledBack);
                again.Clear();
            }
            pending = again;
        }
    }

    /// <summary>The job's progress for a chunk whose items, all valid, are about to commit with these results.</summary>
    ImportMark MarkOf(IReadOnlyList<ImportRow> rows, int start, int end, List<int> pending, BatchItem[] chunk, IReadOnlyList<BatchItemResult> prepared, ImportRowResult?[] results)
    {
        var outcome = new ImportRowResult?[end - start];
        Array.Copy(results, start, outcome, 0, end - start);
        for (int k = 0; k < pending.Count; k++) outcome[pending[k] - start] = ResultOf(rows[pending[k]], chunk[k], prepared[k]);
        var counts = ImportCounts.Zero;
        var notWritten = new List<ImportRowResult>();
        foreach (var row in outcome)
        {
            counts = counts.Add(ImportCounts.Of(row!.Status));
            if (row.Status is ImportRowStatus.Failed or ImportRowStatus.Skipped) notWritten.Add(row);
        }
        return new ImportMark(_job!.Id, CommittedRow, rows[end - 1].Number, counts, notWritten, DateTime.UtcNow);
    }

    ImportRowResult ResultOf(ImportRow row, BatchItem item, BatchItemResult result) => result switch
    {
        { Skipped: true } => new ImportRowResult(row, ImportRowStatus.Skipped, null, "(duplicate)", null, "Skipped: may duplicate " + Describe(result.PossibleDuplicates)),
        { Error: { } error } => Failed(row, ColumnOf(error.Field), error),
        _ => new ImportRowResult(row, item.Operation == BatchOperation.Create ? ImportRowStatus.Created : ImportRowStatus.Updated, result.Id),
    };

    static string Describe(IReadOnlyList<DuplicateMatch> matches) =>
        string.Join("; ", matches.Select(m => $"{m.Object} {m.Id} ({m.Name}) by {m.Rule} '{m.Value}'"));

    static string Cell(ImportRow row, ImportColumn column) => column.Index < row.Cells.Count ? row.Cells[column.Index] : "";

    ImportColumn? ColumnOf(string? field) => field is null ? null : columns.Columns.FirstOrDefault(c => c switch
    {
        ImportColumn.Field f => string.Equals(f.Metadata.Name, field, StringComparison.OrdinalIgnoreCase),
        ImportColumn.Parent p => string.Equals(p.Reference.Name, field, StringComparison.OrdinalIgnoreCase),
        _ => false,
    });

    static ImportRowResult Failed(ImportRow row, ImportColumn? column, CrmError error) =>
        new(row, ImportRowStatus.Failed, null, column?.Header, column is null ? null : Cell(row, column), error.ToString());

    (List<KeyValuePair<string, JsonElement>> Fields, ImportRowResult? Failure) Convert(ImportRow row)
    {
        if (row.Cells.Count != columns.Columns.Count)
            return ([], new ImportRowResult(row, ImportRowStatus.Failed, null, "(row)", null,
                $"{ErrorCodes.InvalidArgument}: the row has {row.Cells.Count} values but the header has {columns.Columns.Count} columns. Check for a missing delimiter or an unclosed quote."));
        var fields = new List<KeyValuePair<string, JsonElement>>(columns.Columns.Count);
        foreach (var column in columns.Columns.OfType<ImportColumn.Field>())
        {
            if (options.NullText is { } nullText && Cell(row, column).Trim() == nullText)
            {
                fields.Add(new(column.Metadata.Name, NullJson));
                continue;
            }
            var value = ImportValues.Convert(column.Metadata, Cell(row, column), options.Format);
            if (!value.IsOk) return ([], Failed(row, column, value.Error));
            if (value.Value is { } json) fields.Add(new(column.Metadata.Name, json));
        }
        return (fields, null);
    }

    Dictionary<string, List<string>> ParentIds(ImportColumn.Parent parent)
    {
        if (parent.ParentObject == StandardObjects.User) return parent.MatchField.Name == "Email" ? _usersByEmail! : _usersByUsername!;
        var key = (parent.ParentObject.Name, parent.MatchField.Name);
        if (!_parents.TryGetValue(key, out var map)) _parents[key] = map = new(StringComparer.OrdinalIgnoreCase);
        return map;
    }

    /// <summary>Looks up the batch's parent values not seen yet; rows naming no parent, or several, fail.</summary>
    async Task ResolveParentsAsync(ImportColumn.Parent parent, IReadOnlyList<ImportRow> rows, ImportRowResult?[] results, CancellationToken ct)
    {
        if (parent.ParentObject == StandardObjects.User) await LoadUsersAsync(ct);
        var known = ParentIds(parent);
        var wanted = Enumerable.Range(0, rows.Count).Where(i => results[i] is null).Select(i => Cell(rows[i], parent).Trim())
            .Where(v => v.Length > 0 && !known.ContainsKey(v)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (wanted.Count > 0 && parent.ParentObject != StandardObjects.User)
        {
            foreach (var (id, value) in await LookUpAsync(parent.ParentObject, parent.MatchField, wanted, ct))
                Add(known, value, id);
            var missing = wanted.Where(v => !known.ContainsKey(v)).ToList();
            if (missing.Count > 0 && options.CreateMissingParents && parent.MatchField.Name == "Name")
                await CreateParentsAsync(parent, missing, known, ct);
        }
        for (int i = 0; i < rows.Count; i++)
        {
            if (results[i] is not null) continue;
            string value = Cell(rows[i], parent).Trim();
            if (value.Length == 0) continue;
            if (!known.TryGetValue(value, out var ids))
                results[i] = Failed(rows[i], parent, new CrmError(ErrorCodes.InvalidCrossReference,
                    parent.ParentObject == StandardObjects.User
                        ? $"No user of this org has {parent.MatchField.Name} '{value}'. Create the user (revops user create) or give OwnerId."
                        : $"No {parent.ParentObject.Name} has {parent.MatchField.Name} '{value}'." + (parent.MatchField.Name == "Name" ? " Import it first, or run with --create-missing-parents." : ""),
                    parent.Reference.Name));
            else if (ids.Count > 1)
                results[i] = Failed(rows[i], parent, new CrmError(ErrorCodes.MultipleChoices,
                    $"{ids.Count} {parent.ParentObject.Name} records have {parent.MatchField.Name} '{value}' ({string.Join(", ", ids.Take(3))}). Give {parent.Reference.Name} instead.", parent.Reference.Name));
        }
    }

    static void Add(Dictionary<string, List<string>> map, string value, string id)
    {
        if (!map.TryGetValue(value, out var ids)) map[value] = ids = [];
        if (!ids.Contains(id)) ids.Add(id);
    }

    async Task LoadUsersAsync(CancellationToken ct)
    {
        if (_usersByEmail is not null) return;
        _usersByEmail = new(StringComparer.OrdinalIgnoreCase);
        _usersByUsername = new(StringComparer.OrdinalIgnoreCase);
        // Active users first, so a person who left and came back is matched by the account that works.
        foreach (var user in (await users.ListAsync(caller.Tenant, ct)).OrderByDescending(u => u.IsActive))
        {
            if (user.Email.Length > 0 && !_usersByEmail.ContainsKey(user.Email)) Add(_usersByEmail, user.Email, user.Id);
            if (user.Username.Length > 0) Add(_usersByUsername, user.Username, user.Id);
        }
    }

    async Task CreateParentsAsync(ImportColumn.Parent parent, List<string> names, Dictionary<string, List<string>> known, CancellationToken ct)
    {
        var items = names.Select(n => new BatchItem(BatchOperation.Create, parent.ParentObject, null,
            new RecordInput([new("Name", JsonSerializer.SerializeToElement(n, DomainJson.Default.String))]))).ToArray();
        var created = await bulk.ApplyAsync(caller, items, allOrNone: false, _ => ValueTask.CompletedTask, ct);
        for (int k = 0; k < names.Count; k++)
            if (created.Results[k] is { Success: true, Id: { } id }) Add(known, names[k], id);
    }

    /// <summary>The records of <paramref name="obj"/> whose <paramref name="field"/> is one of the values, by SOQL IN (…) in chunks.</summary>
    async Task<List<(string Id, string Value)>> LookUpAsync(ObjectMetadata obj, FieldMetadata field, IReadOnlyList<string> values, CancellationToken ct)
    {
        var found = new List<(string, string)>();
        for (int start = 0; start < values.Count; start += LookupChunk)
        {
            var query = new StringBuilder($"SELECT Id, {field.Name} FROM {obj.Name} WHERE {field.Name} IN (");
            query.AppendJoin(", ", values.Skip(start).Take(LookupChunk).Select(Quote)).Append(')');
            for (int offset = 0; ; offset += SoqlService.MaxPageSize)
            {
                var page = await soql.QueryAsync(caller, query.ToString(), includeDeleted: false, offset, SoqlService.MaxPageSize, ct);
                if (!page.IsOk) break;
                foreach (var row in page.Value.Records)
                    if (row.Id is { } id && row.Fields.FirstOrDefault(f => string.Equals(f.Key, field.Name, StringComparison.OrdinalIgnoreCase)).Value is { } value)
                        found.Add((id, System.Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!));
                if (offset + page.Value.Records.Count >= page.Value.TotalSize || page.Value.Records.Count == 0) break;
            }
        }
        return found;
    }

    /// <summary>A SOQL string literal: quotes and backslashes escaped, so a value is never read as syntax.</summary>
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('\'');
        foreach (char c in value)
            quoted.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        return quoted.Append('\'').ToString();
    }

    /// <summary>With --upsert-on: the Id each row updates (null: the row creates); rows matching several records fail.</summary>
    async Task<string?[]?> MatchUpsertKeysAsync(IReadOnlyList<ImportRow> rows, ImportRowResult?[] results, CancellationToken ct)
    {
        if (options.UpsertOn is not { } upsertOn) return null;
        var key = columns.Columns.OfType<ImportColumn.Field>().First(c => string.Equals(c.Metadata.Name, upsertOn, StringComparison.OrdinalIgnoreCase));
        var ids = new string?[rows.Count];
        bool byId = key.Metadata.Name == "Id";
        var values = Enumerable.Range(0, rows.Count).Where(i => results[i] is null).Select(i => Cell(rows[i], key).Trim()).Where(v => v.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var byValue = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (!byId)
            foreach (var (id, value) in await LookUpAsync(Object, key.Metadata, values, ct)) Add(byValue, value, id);
        for (int i = 0; i < rows.Count; i++)
        {
            if (results[i] is not null) continue;
            string value = Cell(rows[i], key).Trim();
            if (value.Length == 0)
            {
                if (byId) continue;
                results[i] = Failed(rows[i], key, CrmError.Required(Object.Name, key.Metadata.Name) with { Message = $"{key.Header} is empty: the upsert matches on it. Give every row a value." });
            }
            else if (byId) ids[i] = value;
            else if (byValue.TryGetValue(value, out var found) && found.Count > 1)
                results[i] = Failed(rows[i], key, new CrmError(ErrorCodes.MultipleChoices, $"{found.Count} {Object.Name} records have {key.Metadata.Name} '{value}'; the row updates none of them.", key.Metadata.Name));
            else if (found is [var one]) ids[i] = one;
        }
        return ids;
    }
}
