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
    const int BufferChars = 1 << 16;

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
                // No ORDER BY: the statement then ends in Id order, which the Id index gives without a sort when there is
                // no --where (an explicit "ORDER BY Id ASC NULLS LAST" is not the index's order in SQLite).
                query = $"SELECT {select} FROM {metadata.Name}" + (result.GetValue(where) is { } filter ? $" WHERE {filter}" : "");
            }
            else return CommonOptions.Fail("give --object Contact (optionally --where, --fields) or --soql \"SELECT …\".");

            var soql = store.Services.GetRequiredService<SoqlService>();
            var plan = await soql.PlanAsync(caller, query, ct);
            if (!plan.IsOk) return CommonOptions.Fail(plan.Error.Message);
            if (plan.Value.Outputs.Any(o => o is SoqlChildOutput)) return CommonOptions.Fail("a CSV has no place for child subqueries (SELECT … (SELECT … FROM Contacts)); export the children on their own.");
            var outputs = plan.Value.Outputs;
            var header = Columns(outputs, "").ToArray();

            // One statement streamed from one snapshot, each row formatted into the CSV writer as it is read.
            await using var text = result.GetValue(output) is { } path
                ? new StreamWriter(path, append: false, new UTF8Encoding(false), BufferChars)
                : new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), BufferChars);
            using (var writer = Sep.New(',').Writer(o => o with { Escape = true, WriteHeader = false }).To(text, leaveOpen: true))
            {
                using (var names = writer.NewRow())
                    for (int i = 0; i < header.Length; i++) names[i].Set(header[i]);
                void Write(SoqlRow record)
                {
                    using var row = writer.NewRow();
                    int k = 0;
                    Flatten(outputs, record, row, ref k);
                }
                if (plan.Value.IsAggregate || plan.Value.IsCountOnly)
                {
                    // Aggregates come whole in one page (their groups, or none for COUNT()); there is nothing to stream.
                    var page = await soql.QueryAsync(caller, query, includeDeleted: false, 0, SoqlService.MaxPageSize, ct);
                    if (!page.IsOk) return CommonOptions.Fail(page.Error.Message);
                    foreach (var record in page.Value.Records) Write(record);
                }
                else
                {
                    var streamed = await soql.StreamAsync(caller, plan.Value, Write, ct);
                    if (!streamed.IsOk) return CommonOptions.Fail(streamed.Error.Message);
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

    /// <summary>The row's cells in header order: its fields are in the plan's output order, parents nested (null: empty cells).</summary>
    static void Flatten(IReadOnlyList<SoqlOutput> outputs, SoqlRow? row, SepWriter.Row cells, ref int k)
    {
        for (int i = 0; i < outputs.Count; i++)
        {
            object? value = row?.Fields[i].Value;
            if (outputs[i] is SoqlParentOutput parent) Flatten(parent.Items, value as SoqlRow, cells, ref k);
            else cells[k++].Set(CsvValue.Text(value));
        }
    }
}
