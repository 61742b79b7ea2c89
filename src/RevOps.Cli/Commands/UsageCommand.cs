using System.CommandLine;
using System.Globalization;
using RevOps.Domain.Tenancy;
using Spectre.Console;

namespace RevOps.Cli.Commands;

internal static class UsageCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var month = new Option<string?>("--month") { Description = "Month as YYYY-MM (default: this month, UTC)." };
        var data = CommonOptions.Data();
        var command = new Command("usage", "Show a tenant's billing figures for a month and the per-tool breakdown.") { tenant, month, data };
        command.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            string monthText = result.GetValue(month) ?? DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            if (!DateOnly.TryParseExact(monthText + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from))
                return CommonOptions.Fail($"month '{monthText}' is not YYYY-MM, e.g. 2026-11.");
            var to = from.AddMonths(1).AddDays(-1);

            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}'.");
            var report = await store.Usage.ReportAsync(tenantId.Value, from, to, ct);

            Console.WriteLine($"Usage of tenant {tenantId} for {monthText}");
            Console.WriteLine($"total_requests: {report.TotalRequests}");
            Console.WriteLine($"successful_requests: {report.SuccessfulRequests}");
            Console.WriteLine($"avg_latency_ms: {report.AverageLatencyMs.ToString("0.###", CultureInfo.InvariantCulture)}");
            var table = new Table().AddColumns("Tool", "Calls", "Errors", "Avg latency (ms)");
            foreach (var tool in report.Tools)
                table.AddRow(tool.Tool, tool.Calls.ToString(CultureInfo.InvariantCulture), tool.Errors.ToString(CultureInfo.InvariantCulture),
                    tool.AverageLatencyMs.ToString("0.###", CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
