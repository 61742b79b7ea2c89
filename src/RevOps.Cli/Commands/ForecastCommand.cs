using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RevOps.Domain.Forecasting;
using RevOps.Domain.Tenancy;

namespace RevOps.Cli.Commands;

/// <summary>`revops forecast train --tenant ID`: trains the tenant's win model now, as the server's background worker would.</summary>
internal static class ForecastCommand
{
    public static Command Create()
    {
        var tenant = new Option<string>("--tenant") { Description = "Tenant id (UUID).", Required = true };
        var data = CommonOptions.Data();
        var train = new Command("train", "Train the tenant's win-probability model on its closed deals and say how it scored against the stage probabilities.") { tenant, data };
        train.SetAction(async (result, ct) =>
        {
            if (!TenantId.TryParse(result.GetValue(tenant), out var tenantId)) return CommonOptions.Fail($"'{result.GetValue(tenant)}' is not a tenant id (a UUID).");
            await using var store = LocalStore.Open(CommonOptions.Local(result, data));
            if (await store.TenantStore.GetAsync(tenantId, ct) is null) return CommonOptions.Fail($"no tenant '{tenantId}'.");
            var trained = await store.Services.GetRequiredService<ForecastService>().TrainAsync(tenantId, ct);
            if (trained is null)
                return CommonOptions.Fail($"not trained: fewer than {WinModelTraining.MinimumClosed} closed deals with their closing in the change history; the forecast uses the stage probabilities.");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trained on {trained.ClosedDeals} closed deals: Brier {trained.ModelBrier:0.000} on the {trained.Holdout} held out, stage probabilities {trained.BaselineBrier:0.000}; " +
                $"the forecast uses {(trained.BeatsBaseline ? "the model" : "the stage probabilities")}."));
            return 0;
        });
        return new Command("forecast", "The forecast's win-probability model.") { train };
    }
}
