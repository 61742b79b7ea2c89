using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RevOps.Domain.Errors;
using RevOps.Domain.Imports;
using RevOps.Domain.Metadata;
using RevOps.Domain.Schema;
using RevOps.Domain.Tenancy;
using RevOps.Server.Imports;

namespace RevOps.Server.Console;

/// <summary>
/// Admins only: import a CSV (a Data Loader or report export) into one object. Upload → map each column to a field (pre-filled by
/// the same header matching as <c>revops import</c>: API name, then label, parents as Account.Name or Owner.Email) → the import
/// runs in the background through the same engine (<see cref="ImportWriter"/>, so field rules, duplicate rules, change log and
/// webhooks as on every channel) → a progress page any node can show, and the rows not written as a CSV (row, column, value, reason).
/// Nothing is kept between the steps on the server: the mapping form carries the file back (no session a second node cannot see).
/// </summary>
public static class ImportPage
{
    /// <summary>Bigger files go through <c>revops import</c> or Bulk API 2.0 (streamed, not posted back through a form).</summary>
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxRows = 100_000;
    static string Here => ConsoleLayout.Root + "/admin/import";
    static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static Task<IResult> ShowAsync(HttpContext http, SchemaService schemas, CancellationToken ct) => RenderUploadAsync(http, null, StatusCodes.Status200OK, schemas, ct);

    /// <summary>Step 1: the file is read (UTF-8, CSV, the object exists) and each column gets the field its header names.</summary>
    public static async Task<IResult> UploadAsync(HttpContext http, SchemaService schemas, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
            return await RenderUploadAsync(http, "Choose a CSV file to import (a header row naming the fields, then one row per record).", StatusCodes.Status400BadRequest, schemas, ct);
        if (file.Length > MaxBytes)
            return await RenderUploadAsync(http, $"{file.FileName} is {file.Length / 1024.0 / 1024.0:N1} MB; the console takes up to {MaxBytes / 1024 / 1024} MB. Split it, or use `revops import` or Bulk API 2.0 for big files.", StatusCodes.Status400BadRequest, schemas, ct);
        string text;
        try
        {
            using var stream = file.OpenReadStream();
            using var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            text = await reader.ReadToEndAsync(ct);
        }
        catch (DecoderFallbackException)
        {
            return await RenderUploadAsync(http, $"{file.FileName} is not UTF-8 text. Save it as \"CSV UTF-8\" and upload it again; nothing was imported.", StatusCodes.Status400BadRequest, schemas, ct);
        }
        var choices = ImportChoices.From(form);
        if (choices.Options() is { IsOk: false } badOptions) return await RenderUploadAsync(http, badOptions.Error.Message, StatusCodes.Status400BadRequest, schemas, ct);
        var plan = await PlanAsync(caller, form["object"], text, choices, schemas, ct);
        if (!plan.IsOk) return await RenderUploadAsync(http, plan.Error.Message, StatusCodes.Status400BadRequest, schemas, ct);
        return RenderMapping(http, plan.Value, text, Path.GetFileName(file.FileName), null, StatusCodes.Status200OK);
    }

    /// <summary>Step 2: the mapping checked by the engine's own column mapping, the job recorded, and the rows written in the background.</summary>
    public static async Task<IResult> StartAsync(HttpContext http, SchemaService schemas, IImportJobStore jobs, BackgroundImports imports, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var form = await http.Request.ReadFormAsync(ct);
        string text = form["csv"].ToString();
        string fileName = Clip(form["file_name"].ToString(), 200);
        if (Encoding.UTF8.GetByteCount(text) > MaxBytes)
            return await RenderUploadAsync(http, $"The file is over {MaxBytes / 1024 / 1024} MB; use `revops import` or Bulk API 2.0 for big files.", StatusCodes.Status400BadRequest, schemas, ct);
        var choices = ImportChoices.From(form);
        var importOptions = choices.Options();
        if (!importOptions.IsOk) return await RenderUploadAsync(http, importOptions.Error.Message, StatusCodes.Status400BadRequest, schemas, ct);
        var plan = await PlanAsync(caller, form["object"], text, choices, schemas, ct);
        if (!plan.IsOk) return await RenderUploadAsync(http, plan.Error.Message, StatusCodes.Status400BadRequest, schemas, ct);
        var (schema, metadata, parsed, _, _) = plan.Value;

        var targets = new string[parsed.Headers.Count];
        for (int i = 0; i < targets.Length; i++) targets[i] = form[$"map{i}"].ToString().Trim();
        var columns = MapChosen(schema, metadata, parsed.Headers, targets, choices.KeepsId);
        if (!columns.IsOk) return RenderMapping(http, plan.Value, text, fileName, columns.Error.Message, StatusCodes.Status400BadRequest, targets);
        if (!columns.Value.Columns.Any(c => c is not ImportColumn.Ignored))
            return RenderMapping(http, plan.Value, text, fileName, "Map at least one column to a field.", StatusCodes.Status400BadRequest, targets);
        if (choices.UpsertOn.Length > 0 && columns.Value.CheckUpsertKey(choices.UpsertOn) is { } keyError)
            return RenderMapping(http, plan.Value, text, fileName, keyError.Message.Replace("--upsert-on", "Upsert on", StringComparison.Ordinal).Replace("defined with --external-id", "marked External Id", StringComparison.Ordinal),
                StatusCodes.Status400BadRequest, targets);

        string options = "console;object=" + metadata.Name + ";map=" + string.Join("|", targets) + choices.Key;
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal))));
        var job = await jobs.FindLatestAsync(caller.Tenant, fingerprint, options, ct);
        if (job is { State: ImportJobState.Finished } && form["again"] != "true")
            return RenderMapping(http, plan.Value, text, fileName, string.Create(CultureInfo.InvariantCulture,
                $"This file was already imported into {metadata.Name} with this mapping at {job.FinishedAt:yyyy-MM-dd HH:mm} UTC ({job.Counts.Written:N0} written, {job.Counts.Failed:N0} failed). Tick \"Import again\" to import it once more."),
                StatusCodes.Status409Conflict, targets, job.Id);
        if (job is not { State: ImportJobState.Running } || form["again"] == "true")
        {
            job = new ImportJob(Guid.NewGuid().ToString("N"), metadata.Name, $"{fileName} ({parsed.Rows.Count} rows)", fingerprint, options, ImportJobState.Running,
                0, ImportCounts.Zero, DateTime.UtcNow, null);
            await jobs.StartAsync(caller.Tenant, job, ct);
        }
        // A running job of the same file and mapping (its node stopped) continues after its last committed row.
        imports.Start(caller with { RequestId = "import-" + job.Id[..12] }, job, columns.Value, importOptions.Value, parsed.Rows);
        return Results.Redirect($"{Here}/{Html.Url(job.Id)}");
    }

    public static async Task<IResult> ProgressAsync(HttpContext http, string id, IImportJobStore jobs, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var job = IsJobId(id) ? await jobs.GetAsync(caller.Tenant, id, ct) : null;
        if (job is null) return NotFound(http, id);
        var notWritten = job.Counts.Failed + job.Counts.Skipped > 0 ? await jobs.NotWrittenAsync(caller.Tenant, id, ct) : [];
        bool running = job.State == ImportJobState.Running;
        return ConsoleLayout.Page(http, "Import into " + job.Object, html =>
        {
            AdminGate.Nav(html, "/admin/import");
            html.Raw($"<section id=\"import\" data-state=\"{(running ? "running" : "finished")}\"{(running ? " data-refresh=\"2\"" : "")} aria-live=\"polite\">")
                .Raw("<p>").Text(job.Source).Raw(running ? " · <strong>running</strong>" : " · <strong>finished</strong>").Raw("</p><dl class=\"figures\">");
            Figure(html, "rows", "Rows done", job.Counts.Read);
            Figure(html, "created", "Created", job.Counts.Created);
            Figure(html, "failed", "Failed", job.Counts.Failed);
            Figure(html, "skipped", "Skipped (duplicates)", job.Counts.Skipped);
            html.Raw("</dl>");
            if (running)
                html.Raw("<p>").Text($"The page reloads every 2 seconds. If the server restarted during the import, upload the same file with the same mapping: it continues after row {job.CommittedRow:N0}.")
                    .Raw($" <a href=\"{Here}/{Html.Attr(id)}\">Reload now</a></p>");
            else html.Raw("<p>").Text($"Finished at {Html.Show(job.FinishedAt)}.").Raw("</p>");
            if (notWritten.Count > 0)
            {
                html.Raw($"<p><a id=\"errors-file\" href=\"{Here}/{Html.Attr(id)}/errors.csv\" download>Download the rows not written (CSV: row, column, value, reason)</a></p>")
                    .Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Rows not written\"><table id=\"import-errors\"><thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Column</th><th scope=\"col\">Value</th><th scope=\"col\">Reason</th></tr></thead><tbody>");
                foreach (var row in notWritten.Take(100))
                    html.Raw($"<tr data-row=\"{row.Row.Number}\"><td>").Text(Html.Show(row.Row.Number)).Raw("</td><td>").Text(row.Column).Raw("</td><td>").Text(row.Value)
                        .Raw("</td><td>").Text(row.Reason).Raw("</td></tr>");
                html.Raw("</tbody></table></div>");
            }
            html.Raw("</section>").Raw($"<p><a href=\"{ConsoleLayout.Root}/o/{Html.Url(job.Object)}\">").Text($"{job.Object} records").Raw("</a> · ")
                .Raw($"<a href=\"{Here}\">Import another file</a></p>");
        });
    }

    public static async Task<IResult> ErrorsFileAsync(HttpContext http, string id, IImportJobStore jobs, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        if (!IsJobId(id) || await jobs.GetAsync(caller.Tenant, id, ct) is null) return NotFound(http, id);
        var csv = new StringBuilder("Row,Column,Value,Reason\r\n");
        foreach (var row in await jobs.NotWrittenAsync(caller.Tenant, id, ct))
            csv.Append(row.Row.Number.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Quote(row.Column)).Append(',').Append(Quote(row.Value)).Append(',').Append(Quote(row.Reason)).Append("\r\n");
        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"import-{id[..12]}.errors.csv");
    }

    /// <summary>What the upload says before anything is written: the object, its schema, the rows, and the field each header names.</summary>
    sealed record Plan(TenantSchema Schema, ObjectMetadata Object, CsvText.Parsed File, string[] Suggested, ImportChoices Choices);

    static async Task<CrmResult<Plan>> PlanAsync(Caller caller, string? objectName, string text, ImportChoices choices, SchemaService schemas, CancellationToken ct)
    {
        var schema = await schemas.GetAsync(caller.Tenant, ct);
        if (!schema.TryGetObject(objectName ?? "", out var metadata) || !Importable(metadata))
            return new CrmError(ErrorCodes.InvalidArgument, $"'{Clip(objectName ?? "", 60)}' is not an object that takes imports; pick one of {string.Join(", ", schema.Objects.Where(Importable).Select(o => o.Name))}.", "object");
        var parsed = CsvText.Parse(text, MaxRows, "The file");
        if (!parsed.IsOk) return parsed.Error;
        if (parsed.Value.Rows.Count == 0) return new CrmError(ErrorCodes.RequiredFieldMissing, "The file has a header but no rows: add one row per record under the header.", "file");
        var objectSchema = schema.For(metadata);
        var suggested = parsed.Value.Headers.Select(h => Suggest(objectSchema, schema, h, choices.KeepsId)).ToArray();
        return new Plan(schema, metadata, parsed.Value, suggested, choices);
    }

    static bool Importable(ObjectMetadata obj) => obj.Writable && obj.CreatedThrough is null;

    /// <summary>The target the CLI's header matching gives one header ("" when none, or a value the system sets).</summary>
    static string Suggest(ObjectSchema schema, TenantSchema tenant, string header, bool keepId)
    {
        var mapped = ImportColumns.Map(schema, tenant, [header], keepId);
        return mapped.IsOk ? Target(mapped.Value.Columns[0]) : "";
    }

    static string Target(ImportColumn column) => column switch
    {
        ImportColumn.Field f => f.Metadata.Name,
        ImportColumn.Parent p => ImportColumns.RelationshipName(p.Reference) + "." + p.MatchField.Name,
        _ => "",
    };

    /// <summary>Every target a column may be given: the object's writable fields, then parents by name, email or external Id.</summary>
    static List<(string Value, string Label)> Targets(TenantSchema tenant, ObjectMetadata obj, bool keepId)
    {
        var schema = tenant.For(obj);
        var targets = new List<(string Value, string Label)>();
        if (keepId) targets.Add(("Id", "Id (the record each row updates)"));
        targets.AddRange(schema.AllFields.Where(f => f.Createable && f.Type != FieldType.Reference).OrderBy(f => f.Label, StringComparer.OrdinalIgnoreCase)
            .Select(f => (f.Name, $"{f.Label} ({f.Name})")));
        foreach (var reference in schema.AllFields.Where(f => f.Type == FieldType.Reference && f.Createable && f.ReferenceTo.Count == 1))
        {
            targets.Add((reference.Name, $"{reference.Label} ({reference.Name}, an Id)"));
            string relationship = ImportColumns.RelationshipName(reference);
            var candidates = new List<string> { relationship + ".Name", relationship + ".Email" };
            if (tenant.TryGetObject(reference.ReferenceTo[0], out var parent))
                candidates.AddRange(tenant.For(parent).AllFields.Where(f => f.ExternalId).Select(f => relationship + "." + f.Name));
            foreach (string candidate in candidates)
                if (ImportColumns.Map(schema, tenant, [candidate]) is { IsOk: true } m && m.Value.Columns[0] is ImportColumn.Parent)
                    targets.Add((candidate, $"{reference.Label} by {candidate[(relationship.Length + 1)..]} ({candidate})"));
        }
        return targets;
    }

    /// <summary>
    /// The chosen targets through the engine's own mapping (unknown names and two columns on one field refused), then set back on
    /// the file's columns: a column left out is not read, and errors name the file's own header.
    /// </summary>
    static CrmResult<ImportColumns> MapChosen(TenantSchema tenant, ObjectMetadata obj, IReadOnlyList<string> headers, string[] targets, bool keepId)
    {
        var kept = Enumerable.Range(0, targets.Length).Where(i => targets[i].Length > 0).ToArray();
        var allowed = Targets(tenant, obj, keepId).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        if (kept.FirstOrDefault(i => !allowed.Contains(targets[i]), -1) is int bad and >= 0)
            return new CrmError(ErrorCodes.InvalidField, $"Column '{Clip(headers[bad], 60)}' is mapped to '{Clip(targets[bad], 60)}', which is not a field {obj.Name} takes on import. Pick one from its list.", "map" + bad);
        var mapped = ImportColumns.Map(tenant.For(obj), tenant, kept.Select(i => targets[i]).ToArray(), keepId);
        if (!mapped.IsOk) return mapped.Error;
        // One column per header (the engine checks each row's width against them); a left-out column is read and ignored.
        var columns = Enumerable.Range(0, headers.Count).Select(i => (ImportColumn)new ImportColumn.Ignored(i, headers[i])).ToArray();
        for (int k = 0; k < kept.Length; k++)
            columns[kept[k]] = mapped.Value.Columns[k] switch
            {
                ImportColumn.Field f => f with { Index = kept[k], Header = headers[kept[k]] },
                ImportColumn.Parent p => p with { Index = kept[k], Header = headers[kept[k]] },
                _ => columns[kept[k]],
            };
        return new ImportColumns(mapped.Value.Schema, columns);
    }

    static async Task<IResult> RenderUploadAsync(HttpContext http, string? error, int status, SchemaService schemas, CancellationToken ct)
    {
        if (AdminGate.Admin(http) is not { } caller) return AdminGate.Forbidden(http);
        var schema = await schemas.GetAsync(caller.Tenant, ct);
        string antiforgery = ConsoleLayout.Antiforgery(http);
        return ConsoleLayout.Page(http, "Import", html =>
        {
            AdminGate.Nav(html, "/admin/import");
            ConsoleLayout.Error(html, error);
            html.Raw($"<form class=\"stacked\" method=\"post\" action=\"{Here}\" enctype=\"multipart/form-data\">").Raw(antiforgery)
                .Raw("<p>A CSV export (Salesforce Data Loader or a report) with a header row. Next you check which field each column sets.</p>")
                .Raw("<label for=\"import-object\">Object</label><select id=\"import-object\" name=\"object\">");
            foreach (var obj in schema.Objects.Where(Importable)) html.Raw("<option>").Text(obj.Name).Raw("</option>");
            html.Raw("</select>").Raw($"<label for=\"import-file\">CSV file (UTF-8, up to {MaxBytes / 1024 / 1024} MB)</label>")
                .Raw("<input id=\"import-file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" required>")
                .Raw("<fieldset><legend>Options</legend>")
                .Raw("<label for=\"import-upsert\">Upsert on: Id or an External ID field (rows it matches update that record; empty creates a record per row)</label>")
                .Raw("<input id=\"import-upsert\" name=\"upsert_on\" type=\"text\" placeholder=\"Id\" autocomplete=\"off\">")
                .Raw("<label><input type=\"checkbox\" name=\"create_missing_parents\" value=\"true\"> Create missing parents (an Account.Name column naming an Account that does not exist creates it)</label>")
                .Raw("<label for=\"import-culture\">Culture of dates and numbers (e.g. de-DE, en-GB; empty: ISO or US)</label>")
                .Raw("<input id=\"import-culture\" name=\"culture\" type=\"text\" placeholder=\"de-DE\" autocomplete=\"off\">")
                .Raw("<label for=\"import-date-format\">Date format (e.g. dd.MM.yyyy; empty: ISO, MM/dd/yyyy or dd.MM.yyyy)</label>")
                .Raw("<input id=\"import-date-format\" name=\"date_format\" type=\"text\" placeholder=\"dd.MM.yyyy\" autocomplete=\"off\">")
                .Raw("</fieldset><button type=\"submit\">Read columns</button></form>");
        }, status);
    }

    static IResult RenderMapping(HttpContext http, Plan plan, string text, string fileName, string? error, int status, string[]? chosen = null, string? doneJob = null)
    {
        var targets = Targets(plan.Schema, plan.Object, plan.Choices.KeepsId);
        var first = plan.File.Rows[0];
        string antiforgery = ConsoleLayout.Antiforgery(http);
        return ConsoleLayout.Page(http, $"Import into {plan.Object.Name}: map columns", html =>
        {
            AdminGate.Nav(html, "/admin/import");
            ConsoleLayout.Error(html, error);
            if (doneJob is not null) html.Raw($"<p><a href=\"{Here}/{Html.Attr(doneJob)}\">The earlier import</a></p>");
            html.Raw($"<form class=\"stacked\" method=\"post\" action=\"{Here}/start\" enctype=\"multipart/form-data\">").Raw(antiforgery)
                .Raw($"<input type=\"hidden\" name=\"object\" value=\"{Html.Attr(plan.Object.Name)}\"><input type=\"hidden\" name=\"file_name\" value=\"{Html.Attr(fileName)}\">")
                .Raw($"<input type=\"hidden\" name=\"csv\" value=\"{Html.Attr(text)}\">");
            plan.Choices.Write(html);
            html
                .Raw("<p>").Text($"{fileName}: {plan.File.Rows.Count:N0} rows, {plan.File.Headers.Count} columns. Each column is matched to a field by its API name or label; change any that is wrong, or leave it out.").Raw("</p>")
                .Raw("<div class=\"wide\" tabindex=\"0\" role=\"region\" aria-label=\"Column mapping\"><table id=\"import-mapping\"><thead><tr><th scope=\"col\">Column</th><th scope=\"col\">First row</th><th scope=\"col\">Field</th></tr></thead><tbody>");
            for (int i = 0; i < plan.File.Headers.Count; i++)
            {
                string pick = chosen?[i] ?? plan.Suggested[i];
                html.Raw($"<tr data-column=\"{i}\"><td><label for=\"map{i}\">").Text(plan.File.Headers[i]).Raw("</label></td><td>").Text(i < first.Cells.Count ? Clip(first.Cells[i], 60) : "")
                    .Raw($"</td><td><select id=\"map{i}\" name=\"map{i}\"><option value=\"\">— Leave out —</option>");
                foreach (var (value, label) in targets)
                    html.Raw($"<option value=\"{Html.Attr(value)}\"{(value == pick ? " selected" : "")}>").Text(label).Raw("</option>");
                html.Raw("</select></td></tr>");
            }
            html.Raw("</tbody></table></div>");
            if (doneJob is not null) html.Raw("<label><input type=\"checkbox\" name=\"again\" value=\"true\"> Import again</label>");
            html.Raw("<button type=\"submit\">Start import</button></form>");
        }, status);
    }

    static void Figure(Html html, string name, string label, long value) =>
        html.Raw("<div><dt>").Text(label).Raw($"</dt><dd data-figure=\"{name}\">").Text(value.ToString("N0", CultureInfo.InvariantCulture)).Raw("</dd></div>");

    static IResult NotFound(HttpContext http, string id) =>
        ConsoleLayout.Page(http, "Not found", html => ConsoleLayout.Error(html, $"No import '{Clip(id, 40)}' in your org."), StatusCodes.Status404NotFound);

    static bool IsJobId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    static string Quote(string? value) =>
        value is null ? "" : value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    static string Clip(string text, int max) => text.Length > max ? text[..max] + "…" : text;
}
