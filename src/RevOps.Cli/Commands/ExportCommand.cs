using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using nietras.SeparatedValues;
using RevOps.Domain.Imports;
using RevOps.Domain.Metadata;
using RevOps.Domain.Records;
using RevOps.Domain.Soql;
using RevOps.Domain.Tenancy;

namespace RevOps.Cli.Commands;

/// <summary>
/// revops export: a SOQL query's rows as CSV, page by page (never the whole result in memory), with API names
/// as the header and parent fields as dotted columns (Account.Name), in the forms revops import reads back.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var obj = new Option<string?>("--object") { Description = "The object to export (with --where and --fields), e.g. Contact." };
        var where = new Option<string?>("--where") { Description = "A SOQL WHERE condition, e.g. \"MailingCountry = 'Germany'\"." };
        var fields = new Option<string?>("--fields") { Description = "Comma-separated fields, parents as Account.Name (default: every field)." };
        var soqlText = new Option<string?>("--soql") { Description = "A whole SELECT statement instead of --object/--where/--fields." };
        var output = new Option<string?>("--out") { Description = "The CSV file to write (default: stdout)." };
        var data = CommonOptions.Data();
        var command = new Command("export", "Export records as CSV (UTF-8, comma, API names as header).") { tenant, obj, where, fields, soqlText, output, data };
        command.SetAction(async (result, ct) =>
        {
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId) || await store.TenantStore.GetAsync(tenantId, ct) is null)
                return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not the id of a tenant here (revops tenant list shows them).");
            var caller = await store.Users.LocalCallerAsync(tenantId, Scopes.Read, "cli", ct);
            if (caller is null) return CommonOptions.Fail($"tenant '{tenantId}' has no active user to read as.");

            string query;
            Func<string?, string>? pageAfter = null;
            if (result.GetValue(soqlText) is { } given)
            {
                if (result.GetValue(obj) is not null || result.GetValue(where) is not null || result.GetValue(fields) is not null)
                    return CommonOptions.Fail("give either --soql or --object (with --where, --fields), not both.");
                query = given;
            }
            else if (result.GetValue(obj) is { } objectName)
            {
                if (!(await store.Schemas.GetAsync(tenantId, ct)).TryGetObject(objectName, out var metadata))
                    return CommonOptions.Fail($"--object '{objectName}' is not an object; use Account, Contact, Lead, Opportunity, Task, Event, User or one of the tenant's custom objects (Invoice__c).");
                var schema = await store.Schemas.GetAsync(tenantId, metadata, ct);
                string select = result.GetValue(fields) is { } list ? list : string.Join(", ", schema.AllFields.Select(f => f.Name));
                query = $"SELECT {select} FROM {metadata.Name}" + (result.GetValue(where) is { } filter ? $" WHERE {filter}" : "") + " ORDER BY Id";
                // Pages follow the Id (keyset): each page reads its 2,000 rows from the index, where OFFSET re-read
                // and COUNT re-counted every row before it (quadratic in the table's size).
                string? condition = result.GetValue(where);
                pageAfter = last =>
                {
                    string[] conditions = [.. condition is null ? [] : new[] { $"({condition})" }, .. last is null ? [] : new[] { $"Id > {ImportWriter.Quote(last)}" }];
                    return $"SELECT {select} FROM {metadata.Name}" + (conditions.Length > 0 ? " WHERE " + string.Join(" AND ", conditions) : "") + $" ORDER BY Id LIMIT {SoqlService.MaxPageSize}";
                };
            }
            else return CommonOptions.Fail("give --object Contact (optionally --where, --fields) or --soql \"SELECT …\".");

            var soql = store.Services.GetRequiredService<SoqlService>();
            var plan = await soql.PlanAsync(caller, query, ct);
            if (!plan.IsOk) return CommonOptions.Fail(plan.Error.Message);
            if (plan.Value.Outputs.Any(o => o is SoqlChildOutput)) return CommonOptions.Fail("a CSV has no place for child subqueries (SELECT … (SELECT … FROM Contacts)); export the children on their own.");
            var header = Columns(plan.Value.Outputs, "").ToArray();

            await using var text = result.GetValue(output) is { } path
                ? new StreamWriter(path, append: false, new UTF8Encoding(false))
                : new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            using (var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = false }).To(text, leaveOpen: true))
            {
                using (var names = writer.NewRow())
                    for (int i = 0; i < header.Length; i++) names[i].Set(header[i]);
                var cells = new string[header.Length];
                string? last = null;
                for (int offset = 0; ; )
                {
                    var page = pageAfter is null
                        ? await soql.QueryAsync(caller, query, includeDeleted: false, offset, SoqlService.MaxPageSize, ct)
                        : await soql.QueryAsync(caller, pageAfter(last), includeDeleted: false, 0, SoqlService.MaxPageSize, ct);
                    if (!page.IsOk) return CommonOptions.Fail(page.Error.Message);
                    foreach (var record in page.Value.Records)
                    {
                        int k = 0;
                        Flatten(plan.Value.Outputs, record, cells, ref k);
                        using var row = writer.NewRow();
                        for (int i = 0; i < cells.Length; i++) row[i].Set(cells[i]);
                    }
                    offset += page.Value.Records.Count;
                    if (pageAfter is not null)
                    {
                        if (page.Value.Records.Count < SoqlService.MaxPageSize) break;
                        last = page.Value.Records[^1].Id;
                        continue;
                    }
                    if (page.Value.Records.Count == 0 || offset >= page.Value.TotalSize) break;
                }
            }
            return 0;
        });
        return command;
    }

    static IEnumerable<string> Columns(IEnumerable<SoqlOutput> outputs, string prefix) => outputs.SelectMany(o => o switch
    {
        SoqlParentOutput parent => Columns(parent.Items, prefix + parent.Name + "."),
        _ => [prefix + o.Name],
    });

    static void Flatten(IReadOnlyList<SoqlOutput> outputs, SoqlRow? row, string[] cells, ref int k)
    {
        foreach (var output in outputs)
        {
            object? value = row?.Fields.FirstOrDefault(f => string.Equals(f.Key, output.Name, StringComparison.OrdinalIgnoreCase)).Value;
            if (output is SoqlParentOutput parent) Flatten(parent.Items, value as SoqlRow, cells, ref k);
            else cells[k++] = RevOps.Domain.Imports.CsvValue.Text(value);
        }
    }

}
