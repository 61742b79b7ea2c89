using System.Collections.Concurrent;
using System.Globalization;
using RevOps.Domain.Errors;
using RevOps.Domain.Ids;
using RevOps.Domain.Metadata;
using RevOps.Domain.Pipeline;
using RevOps.Domain.Records;
using RevOps.Domain.Tenancy;

namespace RevOps.Domain.Forecasting;

/// <summary>
/// The forecast of a period for the caller's tenant (or one owner of it), and the training of the tenant's win model.
/// A model is used only when it beat the stage probabilities on held-out deals; the answer says which was used and why.
/// </summary>
public sealed class ForecastService(IForecastStore store, IRecordStore records, IWinModelTrainer trainer, ForecastTrainingQueue queue, TimeProvider time)
{
    /// <summary>How many open deals an answer lists (those whose outcome moves the total most).</summary>
    public const int ListedDeals = 20;

    readonly ConcurrentDictionary<TenantId, (DateTime TrainedAt, IWinModel Model)> _loaded = new();

    // Tenants whose last attempt found too few closed deals with their closing in the history (imported closed, say):
    // how many were closed then and how many could be learned from, so they are not loaded again on every forecast.
    readonly ConcurrentDictionary<TenantId, (int Closed, int Learnable)> _tooFew = new();

    /// <param name="period">THIS_QUARTER (default), NEXT_QUARTER, THIS_MONTH, NEXT_MONTH or another SOQL date literal; or leave it out and send from and to.</param>
    /// <param name="ownerId">"me" or a User Id, or null for the whole org.</param>
    public async Task<CrmResult<Forecast>> ForecastAsync(Caller caller, string? period, string? from, string? to, string? ownerId, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var range = ForecastPeriod.Parse(period, from, to, DateOnly.FromDateTime(now));
        if (!range.IsOk) return range.Error;
        var owner = await OwnerAsync(caller, ownerId, ct);
        if (!owner.IsOk) return owner.Error;
        var (start, end) = range.Value;

        var deals = (await store.LoadAsync(caller.Tenant, start, end, ct)).Where(d => owner.Value is null || d.OwnerId == owner.Value).ToList();
        var use = await ModelUseAsync(caller.Tenant, ct);
        var model = use.Name == ForecastModelUse.ModelName ? Loaded(caller.Tenant, use.Trained!) : null;
        var rates = model is null ? null : new OwnerRates(await store.OwnerRecordsAsync(caller.Tenant, ct));

        var won = deals.Where(d => d.IsWon).ToList();
        var open = deals.Where(d => !d.IsClosed).ToList();
        var scored = new List<(DealHistory Deal, double P, float[]? X)>(open.Count);
        foreach (var deal in open)
        {
            if (model is null) { scored.Add((deal, StageProbability(deal), null)); continue; }
            var x = WinFeatures.At(deal, now, rates!.Of(deal.OwnerId));
            scored.Add((deal, Math.Clamp(model.Predict(x), 0, 1), x));
        }

        var committed = new PipelineBucket("Committed", won.Count, won.Sum(d => d.Amount), won.Sum(d => d.Amount));
        double openAmount = open.Sum(d => d.Amount);
        double weighted = open.Sum(d => d.Amount * StageProbability(d));
        double expected = scored.Sum(s => s.P * s.Deal.Amount);
        var seed = RevenueRange.Seed($"{caller.Tenant}|{start:yyyy-MM-dd}|{end:yyyy-MM-dd}|{owner.Value}");
        var spread = RevenueRange.Simulate(scored.Select(s => (s.P, s.Deal.Amount)).ToArray(), seed);
        var byStage = open.GroupBy(d => d.StageName, StringComparer.OrdinalIgnoreCase)
            .Select(g => new PipelineBucket(g.First().StageName, g.Count(), g.Sum(d => d.Amount), g.Sum(d => d.Amount * StageProbability(d))))
            .OrderBy(b => StageOrder(b.Key)).ToArray();

        // The deals whose outcome moves the total most: Amount × the standard deviation of a win.
        var listed = scored.OrderByDescending(s => s.Deal.Amount * Math.Sqrt(s.P * (1 - s.P))).ThenByDescending(s => s.Deal.Amount).ThenBy(s => s.Deal.Id, StringComparer.Ordinal)
            .Take(ListedDeals)
            .Select(s => new DealForecast(s.Deal.Id, s.Deal.Name, s.Deal.Amount, s.Deal.StageName, s.Deal.CloseDate, s.Deal.OwnerId, s.P,
                model is null ? [] : Drivers(model, s.X!, s.P, use.Trained!.FeatureMeans)))
            .ToArray();

        return new Forecast(start, end, owner.Value, use, committed, new PipelineBucket("Open", open.Count, openAmount, weighted),
            committed.Amount + openAmount, committed.Amount + weighted, committed.Amount + expected,
            (committed.Amount + spread.P10, committed.Amount + spread.P50, committed.Amount + spread.P90),
            byStage, listed, open.Count - listed.Length);
    }

    /// <summary>Trains the tenant's model now (the background worker's and the CLI's call); null when it has too few learnable closed deals.</summary>
    public async Task<StoredWinModel?> TrainAsync(TenantId tenant, CancellationToken ct)
    {
        var deals = await store.LoadAsync(tenant, null, null, ct);
        var trained = new WinModelTraining(trainer).Train(deals, time.GetUtcNow().UtcDateTime);
        if (trained is null) _tooFew[tenant] = (deals.Count(d => d.IsClosed), WinModelTraining.Learnable(deals).Count);
        else
        {
            await store.SaveModelAsync(tenant, trained, ct);
            _tooFew.TryRemove(tenant, out _);
        }
        return trained;
    }

    /// <summary>Whether enough deals closed since the last training (or ever, for a first one).</summary>
    public async Task<bool> NeedsTrainingAsync(TenantId tenant, CancellationToken ct)
    {
        int closed = await store.ClosedCountAsync(tenant, ct);
        if (closed < WinModelTraining.MinimumClosed) return false;
        if (_tooFew.TryGetValue(tenant, out var tried) && closed - tried.Closed < WinModelTraining.RetrainAfter) return false;
        var model = await store.GetModelAsync(tenant, ct);
        return model is null || closed - model.ClosedDeals >= WinModelTraining.RetrainAfter;
    }

    async Task<ForecastModelUse> ModelUseAsync(TenantId tenant, CancellationToken ct)
    {
        var model = await store.GetModelAsync(tenant, ct);
        int closed = await store.ClosedCountAsync(tenant, ct);
        if (await NeedsTrainingAsync(tenant, ct)) queue.Request(tenant);
        if (model is null)
            return new ForecastModelUse(ForecastModelUse.Baseline,
                closed < WinModelTraining.MinimumClosed
                    ? $"{closed} closed deals; a win model is trained from {WinModelTraining.MinimumClosed} of them, so the stage probabilities are used."
                : _tooFew.TryGetValue(tenant, out var tried) && closed - tried.Closed < WinModelTraining.RetrainAfter
                    ? $"only {tried.Learnable} of {closed} closed deals have their closing in the change history (the rest were created closed); a win model needs {WinModelTraining.MinimumClosed}, so the stage probabilities are used."
                    : $"{closed} closed deals: the win model is being trained in the background; ask again in a minute.", null);
        if (!model.BeatsBaseline)
            return new ForecastModelUse(ForecastModelUse.Baseline,
                $"the win model scored Brier {Round(model.ModelBrier)} on {model.Holdout} held-out deals, no better than the stage probabilities' {Round(model.BaselineBrier)}, so they are used.",
                model);
        return new ForecastModelUse(ForecastModelUse.ModelName, null, model);
    }

    IWinModel Loaded(TenantId tenant, StoredWinModel stored)
    {
        if (_loaded.TryGetValue(tenant, out var cached) && cached.TrainedAt == stored.TrainedAt) return cached.Model;
        var model = trainer.Load(stored.Model);
        _loaded[tenant] = (stored.TrainedAt, model);
        return model;
    }

    static IReadOnlyList<Driver> Drivers(IWinModel model, float[] x, double p, IReadOnlyList<double> means)
    {
        var drivers = new List<Driver>(x.Length);
        for (int j = 0; j < x.Length && j < means.Count; j++)
        {
            var averaged = (float[])x.Clone();
            averaged[j] = (float)means[j];
            drivers.Add(new Driver(WinFeatures.Names[j], p - Math.Clamp(model.Predict(averaged), 0, 1)));
        }
        return drivers.Where(d => Math.Abs(d.Effect) >= 0.005).OrderByDescending(d => Math.Abs(d.Effect)).Take(3).ToArray();
    }

    static double StageProbability(DealHistory deal) => deal.Probability is { } p ? Math.Clamp(p / 100, 0, 1) : Stages.Probability(deal.StageName);

    async Task<CrmResult<string?>> OwnerAsync(Caller caller, string? ownerId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(ownerId)) return CrmResult<string?>.Ok(null);
        string text = ownerId.Trim();
        if (string.Equals(text, "me", StringComparison.OrdinalIgnoreCase)) return caller.ActorId;
        if (!SalesforceId.TryNormalize(text, out var id) || SalesforceId.KeyPrefix(id) != StandardObjects.User.KeyPrefix)
            return new CrmError(ErrorCodes.MalformedId, $"ownerId: '{text}' is not a User Id.{SalesforceId.ChecksumProblem(text)} Send \"me\" or a User Id (005…) from find_records with object User.", "ownerId");
        if (!await records.ExistsAsync(caller.Tenant, StandardObjects.User, id, ct))
            return new CrmError(ErrorCodes.NotFound, $"ownerId: no User '{text}' in this org. Send \"me\" or a User Id from find_records with object User.", "ownerId");
        return id;
    }

    static int StageOrder(string stage)
    {
        for (int i = 0; i < Rules.OpportunityStages.All.Count; i++)
            if (string.Equals(Rules.OpportunityStages.All[i].Name, stage, StringComparison.OrdinalIgnoreCase)) return i;
        return int.MaxValue;
    }

    static string Round(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
