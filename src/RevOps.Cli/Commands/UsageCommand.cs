using System.CommandLine;
using System.Globalization;
using RevOps.Domain.Tenancy;
using RevOps.Domain.Usage;
using Spectre.Console;

namespace RevOps.Cli.Commands;

/// <summary>`revops usage`: a tenant's usage per day and per tool with an invoice preview, as tables or CSV.</summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var month = new Option<string?>("--month") { Description = "Month as YYYY-MM (default: this month, UTC)." };
        var from = new Option<string?>("--from") { Description = "First day, YYYY-MM-DD (instead of --month)." };
        var to = new Option<string?>("--to") { Description = "Last day, YYYY-MM-DD (instead of --month)." };
        var csv = new Option<string?>("--csv") { Description = "Also write the per-day, per-tool rows to this CSV file." };
        var priceBook = CommonOptions.PriceBook();
        var data = CommonOptions.Data();
        var command = new Command("usage", "Show a tenant's usage per day and per tool, with an invoice preview; --csv writes the rows to a file.")
            { tenant, month, from, to, csv, priceBook, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            string? monthText = result.GetValue(month);
            if (monthText is not null && (result.GetValue(from) is not null || result.GetValue(to) is not null))
                return CommonOptions.Fail("give --month or --from/--to, not both.");
            if (monthText is not null && !DateOnly.TryParseExact(monthText + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                return CommonOptions.Fail($"month '{monthText}' is not YYYY-MM, e.g. 2026-11.");
            var prices = CommonOptions.LoadPriceBook(result, priceBook);
            if (prices.Book is null) return CommonOptions.Fail(prices.Problem!);

            await using var store = LocalStore.Open(CommonOptions.Local(result, data) with { PriceBook = prices.Book });
            var statement = await store.Usage.GetAsync(tenantId, monthText ?? result.GetValue(from), monthText ?? result.GetValue(to), ct);
            if (!statement.IsOk) return CommonOptions.Fail(statement.Error.Message);

            UsageTables.Render(statement.Value);
            if (result.GetValue(csv) is { } path)
            {
                int rows = await UsageCsv.WriteAsync(path, statement.Value.Report, ct);
                Console.WriteLine($"Wrote {rows} rows to {path}.");
            }
            return 0;
        });
        return command;
    }
}
