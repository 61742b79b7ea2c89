using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Imports;
using RevOps.Domain.Metadata;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Writes;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>revops import: a Data Loader or report-export CSV written into one object of a tenant, batch by batch.</summary>
internal static class ImportCommand
{
    /// <summary>The change log's channel for imported records.</summary>
    public const string Channel = "import";
    const int BatchRows = 2000;

    /// <summary>
    /// SQLite page cache of this process's writer connection, in MiB (SQLite's default is 2). The import's inserts touch
    /// pages all over the record's and the search document's indexes; with 2 MiB the writer read them back from the file
    /// (pread) in every batch, more as the database grows. 64 MiB keeps the peak RSS of a 1,000,000-row import under 300 MB.
    /// </summary>
    const int CacheMiB = 64;

    /// <summary>Exit code when the import ran but some rows were rejected (see FILE.errors.csv); 1 means it could not run.</summary>
    public const int SomeRowsFailed = 2;

    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var obj = new Option<string>("--object") { Description = "The object to write: Account, Contact, Lead, Opportunity, Task, Event.", Required = true };
        var file = new Argument<string>("file") { Description = "The CSV file; rejected rows go to FILE.errors.csv beside it." };
        var delimiter = new Option<string?>("--delimiter") { Description = "The field delimiter: ',', ';', 'tab' or '|' (default: detected from the header)." };
        var dateFormat = new Option<string?>("--date-format") { Description = "The file's date pattern, e.g. dd/MM/yyyy (default: ISO, MM/dd/yyyy or dd.MM.yyyy)." };
        var culture = new Option<string?>("--culture") { Description = "The file's culture for dates and numbers, e.g. de-DE or en-GB." };
        var upsertOn = new Option<string?>("--upsert-on") { Description = "Update records matched on Id or an External ID field; create the others." };
        var onDuplicate = new Option<string?>("--on-duplicate") { Description = "New records that may duplicate others: report (write), skip or block (default: the tenant's rules)." };
        var createParents = new Option<bool>("--create-missing-parents") { Description = "Create Accounts named in Account.Name that do not exist yet." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress bar; only the summary line." };
        var restart = new Option<bool>("--restart") { Description = "Import the file again from its first row, though it was imported (or started) before with these options." };
        var data = CommonOptions.Data();
        var command = new Command("import", "Import a CSV file into one object (headers: API names or labels; Account.Name, Owner.Email for parents).")
            { tenant, obj, file, delimiter, dateFormat, culture, upsertOn, onDuplicate, createParents, quiet, restart, data };
        command.SetAction(async (result, ct) =>
        {
            var policy = WriteOptions.ParsePolicy(result.GetValue(onDuplicate), "--on-duplicate");
            if (!policy.IsOk) return CommonOptions.Fail(policy.Error.Message);
            if (!TryDelimiter(result.GetValue(delimiter), out var separator)) return CommonOptions.Fail($"--delimiter '{result.GetValue(delimiter)}' is not one of ',', ';', 'tab', '|'.");
            ImportCulture? cultureInfo = null;
            if (result.GetValue(culture) is { } name && (cultureInfo = ImportCulture.Parse(name)) is null)
                return CommonOptions.Fail($"--culture '{name}' is not a culture name; use one such as en-US, en-GB, de-DE or fr-FR.");
            var format = new ImportFormat(result.GetValue(dateFormat), cultureInfo);
            string path = result.GetValue(file)!;

            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (store.Storage.Database is RevOps.Storage.Sqlite.SqliteDatabase sqlite) await RevOps.Storage.Sqlite.SqliteBulkLoad.PrepareAsync(sqlite, CacheMiB, ct);
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId) || await store.TenantStore.GetAsync(tenantId, ct) is null)
                return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not the id of a tenant here (revops tenant list shows them).");
            var caller = await store.Users.LocalCallerAsync(tenantId, Scopes.Read | Scopes.Write, Channel, ct);
            if (caller is null) return CommonOptions.Fail($"tenant '{tenantId}' has no active user to import as; create one with `revops user create --tenant {tenantId} --email … --name … --admin`.");
            caller = caller with { RequestId = "import-" + Guid.NewGuid().ToString("N")[..12] };
            // The tenant's schema names its custom objects (Invoice__c) beside the standard ones.
            if (!(await store.Schemas.GetAsync(tenantId, ct)).TryGetObject(result.GetValue(obj) ?? "", out var metadata) || !metadata.Writable || metadata.CreatedThrough is not null)
                return CommonOptions.Fail($"--object '{result.GetValue(obj)}' is not an object that takes imports; use Account, Contact, Lead, Opportunity, Task, Event or one of the tenant's custom objects (Invoice__c).");

            var (input, openError) = CsvInput.Open(path, separator);
            if (input is null) return CommonOptions.Fail(openError!);
            using (input)
            {
                var schema = await store.Schemas.GetAsync(tenantId, ct);
                var columns = ImportColumns.Map(schema.For(metadata), schema, input.Headers, keepId: string.Equals(result.GetValue(upsertOn), "Id", StringComparison.OrdinalIgnoreCase));
                if (!columns.IsOk) return CommonOptions.Fail(columns.Error.Message + " Nothing was written.");
                if (result.GetValue(upsertOn) is { } key && columns.Value.CheckUpsertKey(key) is { } keyError) return CommonOptions.Fail(keyError.Message);
                bool quietRun = result.GetValue(quiet);
                if (!quietRun && columns.Value.Ignored.Any())
                    Console.Error.WriteLine($"note: not imported (set by the system): {string.Join(", ", columns.Value.Ignored.Select(c => c.Header))}");

                var jobs = store.Services.GetRequiredService<IImportJobStore>();
                string optionsKey = string.Create(CultureInfo.InvariantCulture,
                    $"object={metadata.Name};upsert-on={result.GetValue(upsertOn)?.ToLowerInvariant()};on-duplicate={policy.Value};create-missing-parents={result.GetValue(createParents)};delimiter={(int)input.Separator};culture={cultureInfo?.Name};date-format={format.DateFormat}");
                var job = await jobs.FindLatestAsync(tenantId, input.Fingerprint, optionsKey, ct);
                if (job is { State: ImportJobState.Finished } && !result.GetValue(restart))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{path} was already imported into {metadata.Name} with these options at {job.FinishedAt:yyyy-MM-dd HH:mm} UTC (import {job.Id}: {job.Counts.Written:N0} written, {job.Counts.Failed:N0} failed, {job.Counts.Skipped:N0} skipped). Nothing was written; run with --restart to import it again."));
                    return 0;
                }
                if (job is { State: ImportJobState.Running } && !result.GetValue(restart))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Resuming import {job.Id} of {path} from row {job.CommittedRow + 1:N0}: rows 1 to {job.CommittedRow:N0} were committed before ({job.Counts.Written:N0} written, {job.Counts.Failed:N0} failed, {job.Counts.Skipped:N0} skipped)."));
                else
                {
                    job = new ImportJob(Guid.NewGuid().ToString("N"), metadata.Name, Path.GetFullPath(path), input.Fingerprint, optionsKey, ImportJobState.Running,
                        0, ImportCounts.Zero, DateTime.UtcNow, null);
                    await jobs.StartAsync(tenantId, job, ct);
                }
                long resumeAfter = job.CommittedRow;
                // Rows already committed: their failures come back from the job, so the errors file is whole again, once per row.
                var earlier = resumeAfter == 0 ? new Dictionary<long, ImportRowResult>() : (await jobs.NotWrittenAsync(tenantId, job.Id, ct)).ToDictionary(r => r.Row.Number);

                var writer = new ImportWriter(store.Services.GetRequiredService<BulkWrite>(), store.Services.GetRequiredService<SoqlService>(), store.Users, caller,
                    columns.Value, new ImportOptions(format, result.GetValue(upsertOn), policy.Value, result.GetValue(createParents)) { ChunkRows = BatchRows }) { Job = job };
                using var errors = new ImportErrorsFile(ErrorsPath(path), input.Headers);
                var tally = new ImportTally(job.Counts);
                long readBefore = tally.Read;
                var clock = Stopwatch.StartNew();
                async Task RunAsync(Action<ImportTally>? report)
                {
                    // Two stages on the two cores: this task converts the next batch's cells (ImportWriter.Prepare) while the
                    // loop below writes the previous one. The channel holds one prepared batch, so memory stays flat.
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var prepared = System.Threading.Channels.Channel.CreateBounded<(IReadOnlyList<ImportRowResult> Earlier, ImportRows? Fresh)>(
                        new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
                    async Task ReadAsync()
                    {
                        try
                        {
                            foreach (var batch in input.Batches(BatchRows))
                            {
                                if (stop.IsCancellationRequested) break;
                                IReadOnlyList<ImportRowResult> earlierRows = [];
                                var fresh = batch;
                                if (batch[0].Number <= resumeAfter)
                                {
                                    // Rows already committed: their failures come back from the job, in row order before the new rows'.
                                    earlierRows = batch.Where(r => r.Number <= resumeAfter && earlier.ContainsKey(r.Number)).Select(r => earlier[r.Number] with { Row = r }).ToArray();
                                    fresh = batch.Where(r => r.Number > resumeAfter).ToArray();
                                }
                                await prepared.Writer.WriteAsync((earlierRows, fresh.Count == 0 ? null : writer.Prepare(fresh)), stop.Token);
                            }
                            prepared.Writer.TryComplete();
                        }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested)
                        {
                            prepared.Writer.TryComplete();
                        }
                        catch (Exception e)
                        {
                            prepared.Writer.TryComplete(e);
                        }
                    }
                    var reading = Task.Run(ReadAsync, CancellationToken.None);
                    try
                    {
                        await foreach (var (earlierRows, fresh) in prepared.Reader.ReadAllAsync(CancellationToken.None))
                        {
                            if (ct.IsCancellationRequested || writer.Halted is not null) break;
                            foreach (var before in earlierRows) errors.Add(before);
                            if (fresh is null) continue;
                            foreach (var row in await writer.WriteAsync(fresh, ct))
                            {
                                tally.Count(row.Status);
                                if (row.Status is ImportRowStatus.Failed or ImportRowStatus.Skipped) errors.Add(row);
                            }
                            report?.Invoke(tally);
                        }
                    }
                    finally
                    {
                        stop.Cancel();
                        await reading;
                    }
                }
                // A write the database refuses (disk full, a lost connection) stops the import like Ctrl+C: each batch is one
                // transaction, so the refused batch left nothing and the job record says where to go on from.
                System.Data.Common.DbException? refused = null;
                try
                {
                    if (quietRun || Console.IsErrorRedirected) await RunAsync(null);
                    else await ImportProgress.RunAsync(input.Lines, clock, RunAsync);
                }
                catch (System.Data.Common.DbException e)
                {
                    refused = e;
                }
                errors.Flush();

                bool stopped = ct.IsCancellationRequested || writer.Halted is not null || refused is not null;
                if (!stopped) await jobs.FinishAsync(tenantId, job.Id, writer.CommittedRow, DateTime.UtcNow, CancellationToken.None);
                double seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{metadata.Name}: {tally.Read:N0} rows read, {tally.Written:N0} written ({tally.Created:N0} created, {tally.Updated:N0} updated), {tally.Failed:N0} failed, {tally.Skipped:N0} skipped in {seconds:N1} s ({(tally.Read - readBefore) / seconds:N0} rows/s)."));
                if (errors.Written) Console.WriteLine($"Rows not written, with the reason, are in {errors.Path}.");
                if (writer.Halted is { } halted) return CommonOptions.Fail(halted.Message);
                if (refused is not null)
                    return CommonOptions.Fail(string.Create(CultureInfo.InvariantCulture,
                        $"the database refused a write ({refused.Message}). Rows up to {writer.CommittedRow:N0} are committed and nothing after them was written. Fix the cause (for a full disk, free space), then run the same command again to continue from row {writer.CommittedRow + 1:N0}."));
                if (ct.IsCancellationRequested)
                    return CommonOptions.Fail(string.Create(CultureInfo.InvariantCulture,
                        $"stopped after row {writer.CommittedRow:N0}; rows up to it are committed. Run the same command again to continue from row {writer.CommittedRow + 1:N0}."));
                return tally.Failed > 0 ? SomeRowsFailed : 0;
            }
        });
        return command;
    }

    /// <summary>contacts.csv → contacts.errors.csv, beside it.</summary>
    public static string ErrorsPath(string path) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path) + ".errors.csv");

    static bool TryDelimiter(string? text, out char? separator)
    {
        separator = text switch
        {
            null => null,
            "," or "comma" => ',',
            ";" or "semicolon" => ';',
            "tab" or "\\t" or "\t" => '\t',
            "|" or "pipe" => '|',
            _ => '\0',
        };
        return separator != '\0';
    }
}

/// <summary>Rows counted by what became of them.</summary>
internal sealed class ImportTally(ImportCounts before)
{
    public long Created = before.Created, Updated = before.Updated, Skipped = before.Skipped, Failed = before.Failed;
    public long Written => Created + Updated;
    public long Read => Written + Skipped + Failed;

    public void Count(ImportRowStatus status)
    {
        switch (status)
        {
            case ImportRowStatus.Created: Created++; break;
            case ImportRowStatus.Updated: Updated++; break;
            case ImportRowStatus.Skipped: Skipped++; break;
            default: Failed++; break;
        }
    }
}
