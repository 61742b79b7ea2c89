using System.Globalization;
using System.Text;
using ForecastBacktest;
using RevOps.Domain.Forecasting;
using RevOps.Server.Forecasting;

// Backtest of the forecast's win model: train on what had closed by the cutoff, score the deals open at the cutoff once
// their outcomes are known, against the stage probabilities. Usage: dotnet run -c Release --project bench/forecast-backtest [-- seed]
int seed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2026;
var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
var cutoff = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
var end = new DateTime(2026, 7, 1, 0, 0, 0, DateTimeKind.Utc);
var history = SalesHistory.Generate(seed, start, end);

// As the server would have seen the org at the cutoff: deals closed before it, with their whole history.
var known = history.Where(d => d.ClosingStep!.At < cutoff).ToList();
var trainer = new FastTreeWinModelTrainer();
var clock = System.Diagnostics.Stopwatch.StartNew();
var stored = new WinModelTraining(trainer).Train(known, cutoff) ?? throw new InvalidOperationException("too few closed deals");
var trainTime = clock.Elapsed;
var model = trainer.Load(stored.Model);
var rates = new OwnerRates(known.GroupBy(d => d.OwnerId ?? "")
    .ToDictionary(g => g.Key, g => new OwnerRecord(g.Count(d => d.IsWon), g.Count())));

// Open at the cutoff: created before it, closed after it (every generated deal closes, so each has its outcome).
var open = history.Where(d => d.CreatedAt < cutoff && d.ClosingStep!.At >= cutoff).ToList();
var scored = open.Select(d => (
    Model: Math.Clamp(model.Predict(WinFeatures.At(d, cutoff, rates.Of(d.OwnerId))), 0, 1),
    Stage: Stages.Probability(WinFeatures.StageAt(d, cutoff)),
    d.IsWon, d.Amount, Quarter: d.CloseDate < DateOnly.FromDateTime(cutoff.AddMonths(3)))).ToList();

double modelBrier = Calibration.Brier(scored.Select(s => (s.Model, s.IsWon)));
double stageBrier = Calibration.Brier(scored.Select(s => (s.Stage, s.IsWon)));
double baseRate = scored.Count(s => s.IsWon) / (double)scored.Count;
double constantBrier = Calibration.Brier(scored.Select(s => (baseRate, s.IsWon)));

var quarter = scored.Where(s => s.Quarter).ToList();
double actual = quarter.Where(s => s.IsWon).Sum(s => s.Amount);
var modelRange = RevenueRange.Simulate(quarter.Select(s => (s.Model, s.Amount)).ToArray(), seed);
var stageRange = RevenueRange.Simulate(quarter.Select(s => (s.Stage, s.Amount)).ToArray(), seed);

var o = new StringBuilder();
string F(double x, string format = "0.0000") => double.IsNaN(x) ? "–" : x.ToString(format, CultureInfo.InvariantCulture);
o.AppendLine(CultureInfo.InvariantCulture, $"Seed {seed}: {history.Count} generated deals created {start:yyyy-MM-dd} to {end.AddDays(-1):yyyy-MM-dd}; cutoff {cutoff:yyyy-MM-dd}.");
o.AppendLine(CultureInfo.InvariantCulture, $"Trained on {known.Count} deals closed before the cutoff ({trainTime.TotalSeconds:0.0} s, FastTree, one thread); its own held-out check on the latest {stored.Holdout}: Brier {F(stored.ModelBrier)} vs stage probabilities {F(stored.BaselineBrier)}.");
o.AppendLine(CultureInfo.InvariantCulture, $"Scored {scored.Count} deals open at the cutoff, outcomes from the following months ({F(baseRate, "0.0%")} won).");
o.AppendLine();
o.AppendLine("| Probabilities | Brier score (lower is better) |");
o.AppendLine("|---|---|");
o.AppendLine(CultureInfo.InvariantCulture, $"| Win model | {F(modelBrier)} |");
o.AppendLine(CultureInfo.InvariantCulture, $"| Stage probabilities (baseline) | {F(stageBrier)} |");
o.AppendLine(CultureInfo.InvariantCulture, $"| Everyone at the base rate | {F(constantBrier)} |");
o.AppendLine();
o.AppendLine("Calibration by decile of predicted probability (deals; mean predicted → share won):");
o.AppendLine();
o.AppendLine("| Predicted | Model: deals | Model: predicted → won | Stages: deals | Stages: predicted → won |");
o.AppendLine("|---|---|---|---|---|");
var m = Calibration.Deciles(scored.Select(s => (s.Model, s.IsWon)));
var b = Calibration.Deciles(scored.Select(s => (s.Stage, s.IsWon)));
for (int i = 0; i < 10; i++)
    o.AppendLine(CultureInfo.InvariantCulture,
        $"| {F(m[i].From, "0.0")}–{F(m[i].To, "0.0")} | {m[i].Count} | {F(m[i].MeanPredicted, "0.00")} → {F(m[i].WonShare, "0.00")} | {b[i].Count} | {F(b[i].MeanPredicted, "0.00")} → {F(b[i].WonShare, "0.00")} |");
o.AppendLine();
o.AppendLine(CultureInfo.InvariantCulture, $"Next quarter's revenue from the {quarter.Count} open deals closing in it: actual {actual:N0}; " +
    $"model expected {quarter.Sum(s => s.Model * s.Amount):N0} (P10–P90 {modelRange.P10:N0}–{modelRange.P90:N0}); " +
    $"stage probabilities expected {quarter.Sum(s => s.Stage * s.Amount):N0} (P10–P90 {stageRange.P10:N0}–{stageRange.P90:N0}).");
o.AppendLine(CultureInfo.InvariantCulture, $"Verdict: the model {(modelBrier < stageBrier ? "beats" : "does NOT beat")} the stage probabilities on deals it never saw.");
Console.Write(o.ToString());
